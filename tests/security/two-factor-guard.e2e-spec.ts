import { bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

/** Issue 15: two-factor switched on by an admin who then has no way to approve their own next login. */
describe('switching two-factor on without a way to approve', () => {
  let system: TestSystem;
  const put = (token: string, body: Record<string, unknown>) =>
    api(system, 'PUT', '/api/v1/admin/config/authentication', { headers: bearer(token), body });

  beforeAll(async () => {
    system = await startTestSystem();
    // The only installation administrator (example.com is the test installation's domain), with no email address.
    await createUser(system, { username: 'root', admin: true });
  });
  afterAll(() => system?.stop());

  it('is refused with two_factor_lockout while the admin has no email and no session besides this one', async () => {
    const { body } = await login(system, 'root');
    const refused = await put(body.accessToken, { twoFactor: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('two_factor_lockout');
    expect(refused.body.error.message).toMatch(/email address.*another signed-in session.*force: true/);
    expect((await api(system, 'GET', '/api/v1/admin/config/authentication', { headers: bearer(body.accessToken) })).body.twoFactor).toBe(
      false,
    );
  });

  it('is allowed when a second session of the admin could approve', async () => {
    const first = await login(system, 'root');
    await login(system, 'root');
    const allowed = await put(first.body.accessToken, { twoFactor: true });
    expect(allowed.status).toBe(200);
    expect(allowed.body.twoFactor).toBe(true);
    expect((await put(first.body.accessToken, { twoFactor: false })).status).toBe(200);
  });

  it('is allowed with force: true, and the admin is then locked out as warned', async () => {
    const { body } = await login(system, 'root');
    await api(system, 'DELETE', '/api/v1/me/sessions/current', { headers: bearer(body.accessToken) });
    const other = await login(system, 'root');
    // Every other session of root ends: only the one making the change is left.
    for (const session of (await api(system, 'GET', '/api/v1/me/sessions', { headers: bearer(other.body.accessToken) })).body.sessions) {
      if (!session.current) await api(system, 'DELETE', `/api/v1/me/sessions/${session.id}`, { headers: bearer(other.body.accessToken) });
    }
    expect((await put(other.body.accessToken, { twoFactor: true })).body.error?.code).toBe('two_factor_lockout');
    const forced = await put(other.body.accessToken, { twoFactor: true, force: true });
    expect(forced.status).toBe(200);
    expect(forced.body).not.toHaveProperty('force');
    await api(system, 'DELETE', '/api/v1/me/sessions/current', { headers: bearer(other.body.accessToken) });
    expect((await login(system, 'root')).body.error?.code).toBe('approval_unavailable');
  });
});
