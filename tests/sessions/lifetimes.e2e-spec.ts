import { Client } from 'pg';
import { waitFor } from '@gatehouse/testing';
import { expireSessionsOf, subscribeRevocations } from '../operations/support/cluster-probes';
import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer, createUser, login, mintToken } from '../auth/support';
import { authedSocket } from './ws-client';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('session lifetimes', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ SESSIONS_SWEEP_INTERVAL_MS: '100' });
    await createUser(system, { username: 'heidi' });
  });
  afterAll(() => system.stop());

  it('ends a default session 24 hours after login, however much it was used', async () => {
    const { body } = await login(system, 'heidi');
    system.clock.advance(23 * HOUR);
    expect((await mintToken(system, body.session)).status).toBe(200);
    system.clock.advance(2 * HOUR);
    const late = await mintToken(system, body.session);
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('session_revoked');
  });

  it('keeps a refreshable session alive while it is used once a day, and ends it a day after the last use', async () => {
    const { body } = await login(system, 'heidi', undefined, { application: 'refreshable' });
    for (let day = 0; day < 3; day++) {
      system.clock.advance(20 * HOUR);
      expect((await mintToken(system, body.session)).status).toBe(200);
    }
    system.clock.advance(DAY + HOUR);
    expect((await mintToken(system, body.session)).status).toBe(401);
  });

  it('keeps a longLogin session alive while it is used once a week, and ends it a week after the last use', async () => {
    const { body } = await login(system, 'heidi', undefined, { application: 'longLogin' });
    for (let week = 0; week < 3; week++) {
      system.clock.advance(6 * DAY);
      expect((await mintToken(system, body.session)).status).toBe(200);
    }
    system.clock.advance(7 * DAY + HOUR);
    expect((await mintToken(system, body.session)).status).toBe(401);
  });

  it('counts requests with an access token as use of a refreshable session', async () => {
    const { body } = await login(system, 'heidi', undefined, { application: 'refreshable' });
    system.clock.advance(50 * 60_000);
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(body.accessToken) })).status).toBe(200);
    await waitFor(async () => {
      const list = await api(system, 'GET', '/api/v1/me/sessions', { headers: bearer(body.accessToken) });
      const mine = list.body.sessions.find((s: { id: string }) => s.id === body.session.id);
      return new Date(mine.lastUsedAt).getTime() === system.clock.nowMs();
    });
    system.clock.advance(23 * HOUR + 30 * 60_000);
    expect((await mintToken(system, body.session)).status).toBe(200);
  });

  it('lets an access token expire after an hour while its session lives on', async () => {
    const { body } = await login(system, 'heidi', undefined, { application: 'longLogin' });
    system.clock.advance(HOUR + 1000);
    const expired = await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(body.accessToken) });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('token_expired');
    const fresh = await mintToken(system, body.session);
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(fresh.body.accessToken) })).status).toBe(200);
  });

  it('sweeps expired sessions out of the database, with their access tokens, announcing each end once', async () => {
    const sessions = [(await login(system, 'heidi')).body, (await login(system, 'heidi')).body];
    const ids = sessions.map((body) => body.session.id as string);
    const revoked = await subscribeRevocations(system.testEnv.env.NATS_URL!);
    const db = new Client({ connectionString: system.testEnv.databaseUrl });
    await db.connect();
    try {
      const count = async (table: string, column: string) =>
        (await db.query(`SELECT count(*)::int AS n FROM sessions."${table}" WHERE "${column}" = ANY($1::uuid[])`, [ids])).rows[0].n;
      expect(await count('Session', 'id')).toBe(2);
      expect(await count('AccessToken', 'sessionId')).toBeGreaterThanOrEqual(2);
      system.clock.advance(DAY + 1000);
      await waitFor(async () => (await count('Session', 'id')) === 0, { timeoutMs: 5000 });
      expect(await count('AccessToken', 'sessionId')).toBe(0);
      // Sessions of the earlier tests expire in the same sweep: only these two are counted.
      const ours = () => revoked.messages.filter((m) => ids.includes(m.sessionId as string));
      await waitFor(async () => ours().length >= 2, { timeoutMs: 5000 });
      expect(
        ours()
          .map((m) => m.sessionId)
          .sort(),
      ).toEqual([...ids].sort());
      expect(ours().every((m) => m.reason === 'expired')).toBe(true);
      // One announcement for the sweep's batch, not one per session.
      const batchesWithOurs = revoked.batches.filter((b) => (b.sessions as { sessionId: string }[]).some((s) => ids.includes(s.sessionId)));
      expect(batchesWithOurs).toHaveLength(1);
    } finally {
      await db.end();
      await revoked.close();
    }
  });

  it('closes the sockets of the sessions a sweep batch ends and refuses their tokens', async () => {
    const user = await createUser(system, { username: `ivan-${Date.now()}` });
    const sessions = [(await login(system, user.username)).body, (await login(system, user.username)).body];
    const socket = await authedSocket(system.url, sessions[0].accessToken);
    const revoked = await subscribeRevocations(system.testEnv.env.NATS_URL!);
    try {
      await expireSessionsOf(system.testEnv.databaseUrl, user.id);
      const closed = await socket.closed;
      expect(closed.code).toBe(4001);
      expect(socket.messages).toContainEqual(
        expect.objectContaining({ type: 'session.revoked', sessionId: sessions[0].session.id, reason: 'expired' }),
      );
      // Both ends came in one batch announcement.
      const ids = sessions.map((body) => body.session.id as string);
      await waitFor(() =>
        revoked.batches.some((b) => ids.every((id) => (b.sessions as { sessionId: string }[]).some((s) => s.sessionId === id))),
      );
      for (const body of sessions) {
        expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(body.accessToken) })).status).toBe(401);
      }
    } finally {
      await revoked.close();
    }
  });
});
