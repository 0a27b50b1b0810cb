import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer, createUser, login } from '../auth/support';
import { authedSocket, openSocket } from './ws-client';

describe('session listing, remote logout and the WebSocket', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ WS_AUTH_TIMEOUT_MS: '300' });
    await createUser(system, { username: 'frank' });
    await createUser(system, { username: 'grace' });
  });
  afterAll(() => system.stop());

  it('lists every session of the user and marks the current one', async () => {
    const laptop = await login(system, 'frank', undefined, { device: { name: 'laptop', platform: 'linux' } });
    system.clock.advance(1000); // the phone's session is the newer one
    const phone = await login(system, 'frank', undefined, {
      device: { name: 'phone', platform: 'ios' },
      application: 'refreshable',
      subid: 'tab-1',
    });

    const list = await api(system, 'GET', '/api/v1/me/sessions', { headers: bearer(phone.body.accessToken) });

    expect(list.status).toBe(200);
    const ids = list.body.sessions.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([laptop.body.session.id, phone.body.session.id]));
    expect(ids.indexOf(phone.body.session.id)).toBeLessThan(ids.indexOf(laptop.body.session.id)); // newest first
    expect(list.body.sessions.find((s: { id: string }) => s.id === phone.body.session.id)).toMatchObject({
      current: true,
      device: { name: 'phone', platform: 'ios' },
      application: 'refreshable',
      subid: 'tab-1',
    });
    expect(list.body.sessions.find((s: { id: string }) => s.id === laptop.body.session.id).current).toBe(false);
    expect(JSON.stringify(list.body)).not.toContain(laptop.body.session.password);
  });

  it('revoking a session from another one makes its next request 401 and closes its socket with 4001 within a second', async () => {
    const first = await login(system, 'frank');
    const second = await login(system, 'frank');
    const socket = await authedSocket(system.url, first.body.accessToken);
    // Checked twice first: with TOKEN_CACHE_ENTRIES on the gateway keeps the token, and must still refuse it right after the revocation.
    for (let i = 0; i < 2; i++)
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(first.body.accessToken) })).status).toBe(200);

    const started = Date.now();
    const revoke = await api(system, 'DELETE', `/api/v1/me/sessions/${first.body.session.id}`, {
      headers: bearer(second.body.accessToken),
    });

    expect(revoke.status).toBe(200);
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(first.body.accessToken) })).status).toBe(401);
    const closed = await socket.closed;
    expect(closed.code).toBe(4001);
    expect(closed.at - started).toBeLessThan(1000);
    expect(socket.messages.map((m) => m.type)).toContain('session.revoked');
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(second.body.accessToken) })).status).toBe(200);
    const challenge = await api(system, 'POST', `/api/v1/auth/sessions/${first.body.session.id}/challenge`);
    expect(challenge.status).toBe(401);
  });

  it('logs out the current session', async () => {
    const session = await login(system, 'frank');
    const logout = await api(system, 'DELETE', '/api/v1/me/sessions/current', { headers: bearer(session.body.accessToken) });
    expect(logout.status).toBe(200);
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(session.body.accessToken) })).status).toBe(401);
  });

  it("never reaches another user's sessions", async () => {
    const franks = await login(system, 'frank');
    const graces = await login(system, 'grace');

    const attempt = await api(system, 'DELETE', `/api/v1/me/sessions/${franks.body.session.id}`, {
      headers: bearer(graces.body.accessToken),
    });
    const list = await api(system, 'GET', '/api/v1/me/sessions', { headers: bearer(graces.body.accessToken) });

    expect(attempt.status).toBe(404);
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(franks.body.accessToken) })).status).toBe(200);
    expect(list.body.sessions.map((s: { id: string }) => s.id)).not.toContain(franks.body.session.id);
  });

  it('pushes to every socket of the user, not to other users', async () => {
    const frankLogin = await login(system, 'frank');
    const frankA = await authedSocket(system.url, frankLogin.body.accessToken);
    const frankB = await authedSocket(system.url, (await login(system, 'frank')).body.accessToken);
    const grace = await authedSocket(system.url, (await login(system, 'grace')).body.accessToken);
    const { SocketHub } = await import('../../apps/gateway/src/ws/socket-hub.service');
    const frankId: string = frankLogin.body.user.id;

    const reached = system.gateway.get(SocketHub).pushToUser(frankId, { type: 'homescreen.changed', raw: '', groups: [] });

    expect(reached).toBe(2);
    await frankA.next('homescreen.changed');
    await frankB.next('homescreen.changed');
    expect(grace.messages.map((m) => m.type)).not.toContain('homescreen.changed');
    for (const s of [frankA, frankB, grace]) s.ws.close();
  });

  it('closes a socket whose first message is not a valid auth', async () => {
    const socket = await openSocket(system.url);
    socket.ws.send(JSON.stringify({ type: 'auth', accessToken: 'nonsense' }));
    expect((await socket.closed).code).toBe(4401);
  });

  it('closes a socket that does not authenticate in time', async () => {
    const socket = await openSocket(system.url);
    expect((await socket.closed).code).toBe(4408);
  });
});
