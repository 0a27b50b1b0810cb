import {
  AccountLockSubjects,
  AccountsSubjects,
  AuditSubjects,
  AuthSubjects,
  DirectorySubjects,
  HomeScreenSubjects,
  PasskeySubjects,
  SessionsSubjects,
} from '@gatehouse/contracts';
import type { AdminActor } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { bearer, createUser, GOOD_PASSWORD, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

// The test system's GATEHOUSE_DOMAIN is example.com: its admins are installation administrators.
const TENANT = 'tenant.example';
const OTHER = 'other.example';
const STORED_SCREEN = ':Work,chat,users';
/** A passkey id nobody has: removing it answers not_found whoever asks. */
const NO_PASSKEY = '00000000-0000-4000-8000-0000000000aa';

/**
 * An administrator of one domain asking for a user of another gets the answer an unknown id gets,
 * from the service that owns the data: the HTTP routes and the NATS requests behind them alike.
 */
describe('a domain administrator reaches only users of their own domain', () => {
  let system: TestSystem;
  let nats: NatsClient;
  let root: Record<string, string>;
  let dora: Record<string, string>;
  let doraActor: AdminActor;
  let yuriId: string;
  let yuriSessionId: string;
  let yuriKeyId: string;
  let tessId: string;

  const inDomain = async (domain: string, username: string, admin = false) => {
    const { user } = await nats.send(DirectorySubjects.userCreate, { domain, username, admin });
    await nats.send(AuthSubjects.passwordSet, { userId: user.id, password: GOOD_PASSWORD });
    return user.id;
  };

  beforeAll(async () => {
    system = await startTestSystem();
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'root', admin: true });
    root = bearer((await login(system, 'root')).body.accessToken);
    const doraId = await inDomain(TENANT, 'dora', true);
    dora = bearer((await login(system, `dora@${TENANT}`)).body.accessToken);
    doraActor = { kind: 'admin', userId: doraId, domain: TENANT };
    tessId = await inDomain(TENANT, 'tess');
    yuriId = await inDomain(OTHER, 'yuri');
    expect((await login(system, `yuri@${OTHER}`)).status).toBe(200);
    await nats.send(HomeScreenSubjects.homeScreenSet, { userId: yuriId, raw: STORED_SCREEN });
    yuriSessionId = (await api(system, 'GET', `/api/v1/admin/users/${yuriId}/sessions`, { headers: root })).body.sessions[0].id;
    yuriKeyId = (await nats.send(AuthSubjects.apiKeyCreate, { userId: yuriId, sessionId: yuriSessionId, name: 'ci' })).apiKey.id;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const expectNotFound = (response: { status: number; body: any }) => {
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  };

  /** Yuri as the installation administrator sees him: untouched by every refused request. */
  const expectYuriUntouched = async () => {
    const user = await api(system, 'GET', `/api/v1/admin/users/${yuriId}`, { headers: root });
    expect(user.body).toMatchObject({ id: yuriId, domain: OTHER, displayName: '', admin: false });
    const screen = await api(system, 'GET', `/api/v1/admin/users/${yuriId}/homescreen`, { headers: root });
    expect(screen.body.raw).toBe(STORED_SCREEN);
    const sessions = await api(system, 'GET', `/api/v1/admin/users/${yuriId}/sessions`, { headers: root });
    expect(sessions.body.sessions.map((session: { id: string }) => session.id)).toContain(yuriSessionId);
    const keys = await api(system, 'GET', `/api/v1/admin/users/${yuriId}/api-keys`, { headers: root });
    expect(keys.body.apiKeys.map((key: { id: string }) => key.id)).toEqual([yuriKeyId]);
    // Yuri's old password still signs in (a refused password change set none).
    expect((await login(system, `yuri@${OTHER}`)).status).toBe(200);
  };

  it('answers 404 on every /admin/users/:id route for a user of another domain, and changes nothing', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', `/admin/users/${yuriId}`],
      ['PATCH', `/admin/users/${yuriId}`, { displayName: 'Taken over', admin: true }],
      ['PATCH', `/admin/users/${yuriId}`, { password: 'a new password nobody asked for 7' }],
      ['GET', `/admin/users/${yuriId}/homescreen`],
      ['PUT', `/admin/users/${yuriId}/homescreen`, { raw: '' }],
      ['GET', `/admin/users/${yuriId}/sessions`],
      ['DELETE', `/admin/users/${yuriId}/sessions/${yuriSessionId}`],
      ['GET', `/admin/users/${yuriId}/lock`],
      ['DELETE', `/admin/users/${yuriId}/lock`],
      ['GET', `/admin/users/${yuriId}/api-keys`],
      ['DELETE', `/admin/users/${yuriId}/api-keys/${yuriKeyId}`],
      ['GET', `/admin/users/${yuriId}/passkeys`],
      ['DELETE', `/admin/users/${yuriId}/passkeys/${NO_PASSKEY}`],
      ['DELETE', `/admin/users/${yuriId}`],
    ];
    for (const [method, path, body] of routes) {
      const response = await api(system, method, `/api/v1${path}`, { headers: dora, ...(body !== undefined ? { body } : {}) });
      expect({ route: `${method} ${path}`, status: response.status, code: response.body?.error?.code }).toEqual({
        route: `${method} ${path}`,
        status: 404,
        code: 'not_found',
      });
    }
    await expectYuriUntouched();
  });

  it('answers as for an id nobody has', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    expectNotFound(await api(system, 'GET', `/api/v1/admin/users/${nobody}`, { headers: dora }));
    expectNotFound(await api(system, 'GET', `/api/v1/admin/users/${nobody}/sessions`, { headers: root }));
    expectNotFound(await api(system, 'GET', `/api/v1/admin/users/${nobody}/lock`, { headers: root }));
    expectNotFound(await api(system, 'GET', `/api/v1/admin/users/${nobody}/api-keys`, { headers: root }));
    expectNotFound(await api(system, 'GET', `/api/v1/admin/users/${nobody}/passkeys`, { headers: root }));
  });

  it('lets the same administrator manage a user of their own domain', async () => {
    const patched = await api(system, 'PATCH', `/api/v1/admin/users/${tessId}`, { headers: dora, body: { displayName: 'Tess' } });
    expect(patched.body).toMatchObject({ id: tessId, domain: TENANT, displayName: 'Tess' });
    expect((await api(system, 'GET', `/api/v1/admin/users/${tessId}/sessions`, { headers: dora })).body).toEqual({ sessions: [] });
    const screen = await api(system, 'PUT', `/api/v1/admin/users/${tessId}/homescreen`, { headers: dora, body: { raw: STORED_SCREEN } });
    expect(screen.status).toBe(200);
    const lock = await api(system, 'GET', `/api/v1/admin/users/${tessId}/lock`, { headers: dora });
    expect(lock.body).toMatchObject({ locked: false, accountFailures: 0 });
    expect((await api(system, 'DELETE', `/api/v1/admin/users/${tessId}/lock`, { headers: dora })).body).toMatchObject({ lifted: false });
    expect((await api(system, 'GET', `/api/v1/admin/users/${tessId}/api-keys`, { headers: dora })).body).toEqual({ apiKeys: [] });
    expect((await api(system, 'GET', `/api/v1/admin/users/${tessId}/passkeys`, { headers: dora })).body).toEqual({ passkeys: [] });
  });

  it('is refused by the owning service itself: the NATS requests behind the routes answer not_found', async () => {
    const actor = doraActor;
    const refusals: [string, Promise<unknown>][] = [
      ['directory.user-details.get', nats.send(DirectorySubjects.userDetailsGet, { actor, userId: yuriId })],
      ['directory.user.update', nats.send(DirectorySubjects.userUpdate, { actor, userId: yuriId, patch: { displayName: 'Taken over' } })],
      ['directory.homescreen.get', nats.send(HomeScreenSubjects.homeScreenGet, { actor, userId: yuriId, stored: true })],
      ['directory.homescreen.set', nats.send(HomeScreenSubjects.homeScreenSet, { actor, userId: yuriId, raw: '' })],
      ['sessions.session.list', nats.send(SessionsSubjects.list, { actor, userId: yuriId })],
      ['sessions.session.revoke', nats.send(SessionsSubjects.revoke, { actor, userId: yuriId, sessionId: yuriSessionId })],
      [
        'auth.account.update',
        nats.send(AccountsSubjects.update, { actor, userId: yuriId, patch: { password: 'a new password nobody asked for 7' } }),
      ],
      ['auth.account-lock.get', nats.send(AccountLockSubjects.accountLockGet, { actor, userId: yuriId })],
      ['auth.account-lock.lift', nats.send(AccountLockSubjects.accountLockLift, { actor, userId: yuriId })],
      ['auth.api-key.list', nats.send(AuthSubjects.apiKeyList, { actor, userId: yuriId })],
      ['auth.api-key.revoke', nats.send(AuthSubjects.apiKeyRevoke, { actor, userId: yuriId, apiKeyId: yuriKeyId })],
      ['auth.passkey.list', nats.send(PasskeySubjects.list, { actor, userId: yuriId })],
      [
        'auth.passkey.remove',
        nats.send(PasskeySubjects.remove, { actor, userId: yuriId, passkeyId: NO_PASSKEY, by: 'admin', actorUserId: actor.userId }),
      ],
      ['directory.user.delete', nats.send(DirectorySubjects.userDelete, { actor, userId: yuriId })],
    ];
    for (const [subject, refusal] of refusals) {
      await expect(refusal.then(() => `${subject}: answered`)).rejects.toMatchObject({ code: 'not_found' });
    }
    await expectYuriUntouched();
  });

  it('refuses a list or a new user in another domain outright (forbidden), in directory and in auth', async () => {
    const list = await api(system, 'GET', `/api/v1/admin/users?domain=${OTHER}`, { headers: dora });
    expect([list.status, list.body.error.code]).toEqual([403, 'forbidden']);
    await expect(nats.send(DirectorySubjects.userList, { actor: doraActor, domain: OTHER })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      nats.send(AccountsSubjects.create, { actor: doraActor, domain: OTHER, username: 'mole', password: 'a good long password 93' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const { items } = await nats.send(DirectorySubjects.userList, { domain: OTHER });
    expect(items.map((user: { username: string }) => user.username)).toEqual(['yuri']);
  });

  it('makes one request to a service per /admin/users route, besides authentication and the audit row', async () => {
    // The gateway's own NATS client: what the gateway asks, not what services ask each other.
    const gatewayNats = system.gateway.get(NatsClient, { strict: false });
    const notBusiness = new Set<string>([
      SessionsSubjects.verifyToken,
      SessionsSubjects.touch,
      AuthSubjects.apiKeyVerify,
      AuditSubjects.record,
    ]);
    /** `status`: the refusal expected, if any (a passkey here can only be an unknown one). */
    const requestsOf = async (method: string, path: string, body?: unknown, status?: number) => {
      const spy = jest.spyOn(gatewayNats, 'send');
      try {
        const response = await api(system, method, `/api/v1${path}`, { headers: root, ...(body !== undefined ? { body } : {}) });
        if (status === undefined ? response.status >= 300 : response.status !== status)
          throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
        return spy.mock.calls.map(([subject]) => subject as string).filter((subject) => !notBusiness.has(subject));
      } finally {
        spy.mockRestore();
      }
    };
    const created = await api(system, 'POST', '/api/v1/admin/users', {
      headers: root,
      body: { username: 'once', domain: OTHER, password: 'a good long password 93' },
    });
    const id = created.body.id as string;
    expect(await requestsOf('POST', '/admin/users', { username: 'twice', domain: OTHER, password: 'a good long password 93' })).toEqual([
      AccountsSubjects.create,
    ]);
    expect(await requestsOf('GET', `/admin/users?domain=${OTHER}`)).toEqual([DirectorySubjects.userList]);
    expect(await requestsOf('GET', `/admin/users/${id}`)).toEqual([DirectorySubjects.userDetailsGet]);
    expect(await requestsOf('PATCH', `/admin/users/${id}`, { displayName: 'Once', password: 'another good password 94' })).toEqual([
      AccountsSubjects.update,
    ]);
    expect(await requestsOf('GET', `/admin/users/${id}/homescreen`)).toEqual([HomeScreenSubjects.homeScreenGet]);
    expect(await requestsOf('PUT', `/admin/users/${id}/homescreen`, { raw: STORED_SCREEN })).toEqual([HomeScreenSubjects.homeScreenSet]);
    expect((await login(system, `once@${OTHER}`, 'another good password 94')).status).toBe(200);
    expect(await requestsOf('GET', `/admin/users/${id}/sessions`)).toEqual([SessionsSubjects.list]);
    const [session] = (await api(system, 'GET', `/api/v1/admin/users/${id}/sessions`, { headers: root })).body.sessions;
    const { apiKey } = await nats.send(AuthSubjects.apiKeyCreate, { userId: id, sessionId: session.id, name: 'ci' });
    expect(await requestsOf('GET', `/admin/users/${id}/lock`)).toEqual([AccountLockSubjects.accountLockGet]);
    expect(await requestsOf('DELETE', `/admin/users/${id}/lock`)).toEqual([AccountLockSubjects.accountLockLift]);
    expect(await requestsOf('GET', `/admin/users/${id}/api-keys`)).toEqual([AuthSubjects.apiKeyList]);
    expect(await requestsOf('DELETE', `/admin/users/${id}/api-keys/${apiKey.id}`)).toEqual([AuthSubjects.apiKeyRevoke]);
    expect(await requestsOf('GET', `/admin/users/${id}/passkeys`)).toEqual([PasskeySubjects.list]);
    expect(await requestsOf('DELETE', `/admin/users/${id}/passkeys/${NO_PASSKEY}`, undefined, 404)).toEqual([PasskeySubjects.remove]);
    expect(await requestsOf('DELETE', `/admin/users/${id}/sessions/${session.id}`)).toEqual([SessionsSubjects.revoke]);
    expect(await requestsOf('DELETE', `/admin/users/${id}`)).toEqual([DirectorySubjects.userDelete]);
  });
});
