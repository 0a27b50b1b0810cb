import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { subscribeRevocations } from '../operations/support/cluster-probes';
import { waitFor } from '@gatehouse/testing';
import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer } from '../auth/support';

describe('without Redis', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ REDIS_URL: 'redis://127.0.0.1:1', SESSIONS_SWEEP_INTERVAL_MS: '100' });
  });
  afterAll(() => system.stop());

  it('fails token checks closed with 503', async () => {
    const response = await api(system, 'GET', '/api/v1/auth/check', { headers: bearer('a'.repeat(43)) });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('service_unavailable');
  });

  it('refuses logins with 503 since no attempt could be counted', async () => {
    const response = await api(system, 'POST', '/api/v1/auth/login', {
      body: { username: 'anyone', password: 'whatever it is', device: { name: 'x', platform: 'y' } },
    });
    expect(response.status).toBe(503);
  });

  it('still announces the ends of the expired sessions a sweep deleted (their sockets and app grants end)', async () => {
    const userId = randomUUID();
    const ids = [randomUUID(), randomUUID()];
    const past = new Date(system.clock.now().getTime() - 60_000);
    const revoked = await subscribeRevocations(system.testEnv.env.NATS_URL!);
    const db = new Client({ connectionString: system.testEnv.databaseUrl });
    await db.connect();
    try {
      for (const id of ids) {
        await db.query(
          `INSERT INTO sessions."Session" (id, "userId", domain, username, admin, external, "passwordHash", "deviceName", "devicePlatform",
             application, "createdAt", "lastUsedAt", "expiresAt")
           VALUES ($1, $2, 'example.com', 'gone', false, false, 'x', 'Phone', 'ios', 'default', $3, $3, $3)`,
          [id, userId, past],
        );
        // a token, so that the sweep does try Redis (and fails)
        await db.query(`INSERT INTO sessions."AccessToken" ("tokenHash", "sessionId", "createdAt", "expiresAt") VALUES ($1, $2, $3, $3)`, [
          `hash-${id}`,
          id,
          past,
        ]);
      }
      await waitFor(async () => (await db.query(`SELECT 1 FROM sessions."Session" WHERE id = ANY($1::uuid[])`, [ids])).rowCount === 0, {
        timeoutMs: 5000,
      });
      await waitFor(() => ids.every((id) => revoked.messages.some((m) => m.sessionId === id && m.reason === 'expired')), {
        timeoutMs: 5000,
      });
    } finally {
      await db.end();
      await revoked.close();
    }
  });
});
