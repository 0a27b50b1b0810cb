import { NatsClient } from '@gatehouse/platform';
import { waitFor } from '@gatehouse/testing';
import { DirectorySubjects } from '@gatehouse/contracts';
import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer, createUser, login } from './support';

const ADMIN_PASSWORD = 'first admin password from env';
const apiKey = (key: string) => ({ authorization: `ApiKey ${key}` });

describe('API keys, external users and the first administrator', () => {
  let system: TestSystem;
  let adminToken: string;
  let userToken: string;
  let nats: NatsClient;

  beforeAll(async () => {
    system = await startTestSystem({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD, AUTH_SWEEP_INTERVAL_MS: '100' });
    nats = system.gateway.get(NatsClient, { strict: false });
    await waitFor(async () => (await login(system, 'root', ADMIN_PASSWORD)).status === 200);
    adminToken = (await login(system, 'root', ADMIN_PASSWORD)).body.accessToken;
    await createUser(system, { username: 'judy' });
    userToken = (await login(system, 'judy')).body.accessToken;
  });
  afterAll(() => system.stop());

  const userExists = async (userId: string) => (await nats.send(DirectorySubjects.userGet, { userId })).user !== null;
  const createExternal = async () => {
    const response = await api(system, 'POST', '/api/v1/admin/external-users', { headers: bearer(adminToken), body: {} });
    expect(response.status).toBe(201);
    return response.body.user as { id: string; username: string; external: boolean };
  };

  describe('first administrator', () => {
    it('is made from ADMIN_USERNAME and ADMIN_PASSWORD and is an admin', async () => {
      const check = await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(adminToken) });
      expect(check.body.user).toMatchObject({ username: 'root', admin: true });
    });

    it('is left alone when asked again (idempotent)', async () => {
      const { FirstAdminService } = await import('../../apps/auth/src/first-admin/first-admin.service');
      const auth = system.services[0];
      await auth.get(FirstAdminService).ensure('root', 'another password entirely!!');
      expect((await login(system, 'root', ADMIN_PASSWORD)).status).toBe(200);
    });
  });

  describe('API keys', () => {
    it('works as Authorization: ApiKey until it is revoked, and records its last use', async () => {
      const created = await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(userToken), body: { name: 'build server' } });
      expect(created.status).toBe(201);
      const { key, apiKey: view } = created.body;

      const check = await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(key) });
      expect(check.status).toBe(200);
      expect(check.body.user).toMatchObject({ username: 'judy', apiKeyId: view.id });

      const list = await api(system, 'GET', '/api/v1/me/api-keys', { headers: bearer(userToken) });
      expect(list.body.apiKeys).toEqual([expect.objectContaining({ id: view.id, name: 'build server', lastUsedAt: expect.any(String) })]);
      expect(JSON.stringify(list.body)).not.toContain(key);

      expect((await api(system, 'DELETE', `/api/v1/me/api-keys/${view.id}`, { headers: bearer(userToken) })).status).toBe(200);
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(key) })).status).toBe(401);
    });

    it("carries the user's permissions: an admin's key reaches /admin, a user's does not", async () => {
      const adminKey = (await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(adminToken), body: { name: 'ops' } })).body.key;
      const userKey = (await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(userToken), body: { name: 'mine' } })).body.key;
      expect((await api(system, 'POST', '/api/v1/admin/external-users', { headers: apiKey(adminKey), body: {} })).status).toBe(201);
      expect((await api(system, 'POST', '/api/v1/admin/external-users', { headers: apiKey(userKey), body: {} })).status).toBe(403);
    });

    it("cannot revoke another user's key", async () => {
      const created = await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(adminToken), body: { name: 'kept' } });
      expect((await api(system, 'DELETE', `/api/v1/me/api-keys/${created.body.apiKey.id}`, { headers: bearer(userToken) })).status).toBe(
        404,
      );
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(created.body.key) })).status).toBe(200);
    });
  });

  describe('external users', () => {
    it('are made by admins only, with a long generated name', async () => {
      const user = await createExternal();
      expect(user.external).toBe(true);
      expect(user.username.length).toBeGreaterThanOrEqual(40);
      expect((await api(system, 'POST', '/api/v1/admin/external-users', { headers: bearer(userToken), body: {} })).status).toBe(403);
    });

    it('log in once with any non-empty password, never twice, and never reach /admin', async () => {
      const user = await createExternal();
      expect((await login(system, user.username, ' ')).status).toBe(401);

      const first = await login(system, user.username, 'anything');
      expect(first.status).toBe(200);
      expect(first.body.user.external).toBe(true);
      expect((await login(system, user.username, 'anything')).status).toBe(401);

      const admin = await api(system, 'POST', '/api/v1/admin/external-users', { headers: bearer(first.body.accessToken), body: {} });
      expect(admin.status).toBe(403);
    });

    it('are deleted 15 minutes after creation when unused', async () => {
      const user = await createExternal();
      system.clock.advance(14 * 60_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await userExists(user.id)).toBe(true);

      system.clock.advance(60_000 + 1000);
      await waitFor(async () => !(await userExists(user.id)), { timeoutMs: 5000 });
      expect((await login(system, user.username, 'anything')).status).toBe(401);
    });

    it('are deleted right after they log out', async () => {
      const user = await createExternal();
      const session = await login(system, user.username, 'anything');
      system.clock.advance(20 * 60_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await userExists(user.id)).toBe(true);

      await api(system, 'DELETE', '/api/v1/me/sessions/current', { headers: bearer(session.body.accessToken) });

      await waitFor(async () => !(await userExists(user.id)), { timeoutMs: 5000 });
    });
  });
});
