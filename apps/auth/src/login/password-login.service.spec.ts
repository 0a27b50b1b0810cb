import type { AuthType, LoginMethod, User } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import type { LoginThrottle, Reservation } from '../throttle/login-throttle';
import { FakeAudit, FakeSettings, aUser } from '../testing/fakes';
import type { LoginCompletion } from './login-completion.service';
import type { LoginUserFinder } from './login-user-finder';
import type { NetlogonOutcome } from './netlogon-outcome';
import { PasswordLoginService } from './password-login.service';
import type { SecretVerifier } from './secret-verifier';

// Only named as a collaborator (replaced below); its module would load OPAQUE's WebAssembly and the hashing workers.
jest.mock('./secret-verifier', () => ({
  SecretVerifier: class SecretVerifier {},
  NetlogonRefusedError: class NetlogonRefusedError extends Error {},
}));

const request = {
  username: 'alice',
  password: 'the password',
  device: { name: 'Firefox', platform: 'Linux' },
  application: 'refreshable' as const,
  ip: '198.51.100.7',
};

function setup(options: { type?: AuthType; user?: User | null; proves?: LoginMethod | null; lockMs?: number } = {}) {
  const user = options.user === undefined ? aUser({ username: 'alice' }) : options.user;
  const reservation: Reservation = {
    loginKey: 'l',
    addressKey: 'a',
    accountKey: 'c',
    knownKey: 'k',
    accountFails: 1,
    lockMs: options.lockMs ?? 0,
    lockScope: options.lockMs ? 'login' : null,
  };
  const throttle = { reserve: jest.fn(async () => reservation), succeeded: jest.fn(async () => undefined), refund: jest.fn() };
  const verifier = { verify: jest.fn(async () => (options.proves === undefined ? 'password' : options.proves)) };
  const audit = new FakeAudit();
  const settings = new FakeSettings({ type: options.type ?? 'pbx' });
  const completed = { status: 'active' } as Awaited<ReturnType<LoginCompletion['complete']>>;
  const completion = { complete: jest.fn(async () => completed) };
  const users = { find: jest.fn(async () => ({ user })) };
  const netlogon = { settle: jest.fn(async (error: unknown) => Promise.reject(error)) };
  const sut = new PasswordLoginService(
    throttle as unknown as LoginThrottle,
    verifier as unknown as SecretVerifier,
    audit.service,
    settings.service,
    completion as unknown as LoginCompletion,
    users as unknown as LoginUserFinder,
    netlogon as unknown as NetlogonOutcome,
  );
  return { sut, throttle, verifier, audit, settings, completion, completed, user, reservation };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

describe('PasswordLoginService', () => {
  it('hands a proven login to the completion with the method that proved it', async () => {
    const { sut, completion, completed, user, throttle, audit, settings } = setup({ type: 'pbx+netlogon', proves: 'netlogon' });
    await expect(sut.login(request)).resolves.toBe(completed);
    expect(completion.complete).toHaveBeenCalledWith(user, request, 'netlogon', settings.current);
    expect(throttle.succeeded).toHaveBeenCalledTimes(1);
    expect(audit.events).toEqual([expect.objectContaining({ type: 'login', outcome: 'success', details: { method: 'netlogon' } })]);
  });

  it('answers a wrong password and an unknown user alike, and counts both as failures', async () => {
    const wrong = setup({ proves: null });
    const unknown = setup({ user: null, proves: null });
    expect(await codeOf(wrong.sut.login(request))).toBe('invalid_credentials');
    expect(await codeOf(unknown.sut.login(request))).toBe('invalid_credentials');
    for (const { audit, completion, throttle, verifier } of [wrong, unknown]) {
      expect(verifier.verify).toHaveBeenCalledTimes(1);
      expect(audit.outcomes('login')).toEqual(['failure']);
      expect(throttle.succeeded).not.toHaveBeenCalled();
      expect(completion.complete).not.toHaveBeenCalled();
    }
  });

  it('audits the lockout a failure began', async () => {
    const { sut, audit } = setup({ proves: null, lockMs: 2000 });
    expect(await codeOf(sut.login(request))).toBe('invalid_credentials');
    expect(audit.events.map((e) => `${e.type}:${e.outcome}`)).toEqual(['login:failure', 'lockout:locked']);
  });

  it('takes no password under the identity-provider-only type, except from an external user', async () => {
    const { sut, verifier } = setup({ type: 'oauth2' });
    expect(await codeOf(sut.login(request))).toBe('auth_type_disabled');
    expect(verifier.verify).not.toHaveBeenCalled();
    const external = setup({ type: 'oauth2', user: aUser({ external: true }) });
    await expect(external.sut.login(request)).resolves.toBe(external.completed);
  });

  it('refuses PBX passwords on the plain route when it is closed, but not Windows passwords', async () => {
    const closed = setup({ type: 'pbx' });
    closed.settings.current = { ...closed.settings.current, pbxPlainLogin: false };
    expect(await codeOf(closed.sut.login(request))).toBe('plain_login_disabled');
    const windows = setup({ type: 'pbx+netlogon', proves: 'netlogon' });
    windows.settings.current = { ...windows.settings.current, pbxPlainLogin: false };
    await expect(windows.sut.login(request)).resolves.toBe(windows.completed);
  });

  it('audits a throttled attempt and checks no password', async () => {
    const { sut, throttle, verifier, audit } = setup();
    throttle.reserve.mockRejectedValueOnce(new AppError('rate_limited', 'Too many attempts'));
    expect(await codeOf(sut.login(request))).toBe('rate_limited');
    expect(verifier.verify).not.toHaveBeenCalled();
    expect(audit.outcomes('login')).toEqual(['throttled']);
  });
});
