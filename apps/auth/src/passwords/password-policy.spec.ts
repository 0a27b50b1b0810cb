import { AppError } from '@gatehouse/errors';
import { checkPassword } from './password-policy';
import { inProcessEstimator } from './password-strength';

const estimate = inProcessEstimator();

const refusal = async (password: string, twoFactor = false, userInputs: string[] = []) => {
  try {
    await checkPassword(password, { twoFactor, userInputs }, estimate);
    return undefined;
  } catch (error) {
    return error as AppError;
  }
};
const rule = async (password: string, twoFactor = false, userInputs: string[] = []) =>
  (await refusal(password, twoFactor, userInputs))?.details?.rule ?? 'ok';

describe('password policy', () => {
  it('wants 15 characters without two-factor and 8 with it', async () => {
    expect(await rule('river-Quokka-3719')).toBe('ok');
    expect(await rule('river-Quokka-37')).toBe('ok');
    expect(await rule('river-Quokka-3')).toBe('min_length');
    expect(await rule('xk4!mzq8', true)).toBe('ok');
    expect(await rule('xk4!mzq', true)).toBe('min_length');
  });

  it('accepts 128 characters and more without truncating, refuses beyond the maximum', async () => {
    const long = 'Quokka lanterns drift past 7 copper windmills at dusk; '.repeat(3);
    expect([...long].length).toBeGreaterThan(128);
    expect(await rule(long)).toBe('ok');
    expect(await rule('a'.repeat(1025))).toBe('max_length');
  });

  it.each([
    'correcthorsebatterystaple',
    'qwertyuiopasdfgh',
    'PasswordPassword',
    'iloveyouiloveyou',
    'Winter2024Winter',
    '1q2w3e4r5t6y7u8i',
    'abcdefghij-1234',
  ])('refuses %s from the dictionaries with weak_password and a reason', async (password) => {
    const error = await refusal(password);
    expect(error).toBeInstanceOf(AppError);
    expect(error?.code).toBe('weak_password');
    expect(error?.details).toMatchObject({ rule: 'common', reason: expect.any(String) });
    expect(error?.message).toContain(error?.details?.reason as string);
  });

  it('refuses a password built from the user name and domain', async () => {
    expect(await rule('alicebergmann-gatehouse', false)).toBe('ok');
    expect(await rule('alicebergmann-gatehouse', false, ['alicebergmann', 'gatehouse.local', 'gatehouse'])).toBe('common');
  });

  it('has no composition rules', async () => {
    expect(await rule('all lowercase words here')).toBe('ok');
  });

  it('counts the NFKC form of a password', async () => {
    // fullwidth letters normalise to ASCII, so this is the common "passwordpassword"
    expect(await rule('ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ')).toBe('common');
  });
});
