import { AppError } from '@gatehouse/errors';
import { checkPassword } from './password-policy';

const rule = (password: string, twoFactor = false) => {
  try {
    checkPassword(password, { twoFactor });
    return 'ok';
  } catch (error) {
    return (error as AppError).details?.rule;
  }
};

describe('password policy', () => {
  it('wants 15 characters without two-factor and 8 with it', () => {
    expect(rule('abcdefghij-1234')).toBe('ok');
    expect(rule('abcdefghij-123')).toBe('min_length');
    expect(rule('xk4!mzq8', true)).toBe('ok');
    expect(rule('xk4!mzq', true)).toBe('min_length');
  });

  it('accepts 128 characters and more without truncating, refuses beyond the maximum', () => {
    expect(rule('a1'.repeat(64) + 'z')).toBe('ok');
    expect(rule('a'.repeat(1025))).toBe('max_length');
  });

  it('refuses common passwords whatever their case', () => {
    expect(rule('PasswordPassword')).toBe('common');
  });

  it('has no composition rules', () => {
    expect(rule('all lowercase words here')).toBe('ok');
  });

  it('counts the NFKC form of a password', () => {
    // fullwidth letters normalise to ASCII, so this is the common "passwordpassword"
    expect(rule('ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ')).toBe('common');
  });
});
