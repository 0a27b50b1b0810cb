import { DirectorySubjects, AuthSubjects } from '@gatehouse/contracts';
import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer, createUser, login, GOOD_PASSWORD } from './support';

describe('password login', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
    await createUser(system, { username: 'alice', email: 'alice@mail.example.org' });
  });
  afterAll(() => system.stop());

  it('logs in with the SIP name and returns a session, an access token and the user', async () => {
    const response = await login(system, 'alice');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'active', user: { username: 'alice', domain: 'example.com' } });
    expect(response.body.session.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.session.password.length).toBeGreaterThanOrEqual(64);
    const check = await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(response.body.accessToken) });
    expect(check.status).toBe(200);
    expect(check.body.user).toMatchObject({ username: 'alice', admin: false });
  });

  it('logs in with the SIP URI or the email address', async () => {
    expect((await login(system, 'sip:alice@example.com')).status).toBe(200);
    expect((await login(system, 'alice@mail.example.org')).status).toBe(200);
  });

  it('gives a new session on every login', async () => {
    const first = await login(system, 'alice');
    const second = await login(system, 'alice');
    expect(first.body.session.id).not.toBe(second.body.session.id);
    expect(first.body.accessToken).not.toBe(second.body.accessToken);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await login(system, 'alice', 'not the right password at all');
    const unknown = await login(system, 'nobody-here', GOOD_PASSWORD);

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('spends as long on an unknown user as on a wrong password (a dummy hash is checked)', async () => {
    await createUser(system, { username: 'timing' });
    const timed = async (username: string, attempt: number) => {
      const started = performance.now();
      expect((await login(system, username, `wrong password ${attempt}`)).status).toBe(401);
      return performance.now() - started;
    };
    // Interleaved, so both see the same load from the test files running beside this one. The
    // hashing threads run at SCHED_IDLE and get only the CPU nothing else wants, so that load only
    // ever adds time: the fastest of each is the truest measure of the work itself.
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push(await timed('timing', i));
      unknown.push(await timed('no-such-user-for-timing', i));
    }
    const ratio = Math.min(...unknown) / Math.min(...known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('refuses a missing token and a made-up one with 401', async () => {
    expect((await api(system, 'GET', '/api/v1/auth/check')).status).toBe(401);
    const made = await api(system, 'GET', '/api/v1/auth/check', { headers: bearer('x'.repeat(43)) });
    expect(made.status).toBe(401);
    expect(made.body.error.code).toBe('unauthenticated');
  });

  it('rejects unknown fields and a login without a device', async () => {
    const extra = await login(system, 'alice', GOOD_PASSWORD, { admin: true });
    expect(extra.status).toBe(400);
    const noDevice = await api(system, 'POST', '/api/v1/auth/login', { body: { username: 'alice', password: GOOD_PASSWORD } });
    expect(noDevice.status).toBe(400);
  });

  it('tells the login form which methods there are', async () => {
    const response = await api(system, 'GET', '/api/v1/auth/methods');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ password: true, twoFactor: false });
  });

  it('refuses short and common passwords when one is set', async () => {
    const nats = system.gateway.get((await import('@gatehouse/platform')).NatsClient, { strict: false });
    const { user } = await nats.send(DirectorySubjects.userCreate, { domain: 'example.com', username: 'weak' });
    await expect(nats.send(AuthSubjects.passwordSet, { userId: user.id, password: 'short' })).rejects.toMatchObject({
      code: 'weak_password',
    });
    await expect(nats.send(AuthSubjects.passwordSet, { userId: user.id, password: 'passwordpassword' })).rejects.toMatchObject({
      code: 'weak_password',
    });
  });
});
