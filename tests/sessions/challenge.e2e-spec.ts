import Redis from 'ioredis';
import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer, createUser, login, proofFor } from '../auth/support';

describe('challenge-response and the token store', () => {
  let system: TestSystem;
  let session: { id: string; password: string };
  let accessToken: string;

  beforeAll(async () => {
    system = await startTestSystem();
    await createUser(system, { username: 'ivan' });
    const response = await login(system, 'ivan');
    session = response.body.session;
    accessToken = response.body.accessToken;
  });
  afterAll(() => system.stop());

  const challenge = async (sessionId = session.id) =>
    (await api(system, 'POST', `/api/v1/auth/sessions/${sessionId}/challenge`)).body.nonce as string;
  const token = (nonce: string, proof: string, sessionId = session.id) =>
    api(system, 'POST', `/api/v1/auth/sessions/${sessionId}/token`, { body: { nonce, proof } });

  it('mints an access token for the right proof', async () => {
    const nonce = await challenge();
    const minted = await token(nonce, proofFor(session.password, nonce));
    expect(minted.status).toBe(200);
    expect(new Date(minted.body.expiresAt).getTime()).toBeGreaterThan(system.clock.nowMs());
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(minted.body.accessToken) })).status).toBe(200);
  });

  it('refuses a wrong proof', async () => {
    const nonce = await challenge();
    const refused = await token(nonce, proofFor('not-the-session-password-'.repeat(3), nonce));
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_proof');
  });

  it('accepts each nonce once', async () => {
    const nonce = await challenge();
    expect((await token(nonce, proofFor(session.password, nonce))).status).toBe(200);
    expect((await token(nonce, proofFor(session.password, nonce))).status).toBe(401);
  });

  it('refuses a nonce after it expired', async () => {
    const nonce = await challenge();
    system.clock.advance(61_000);
    expect((await token(nonce, proofFor(session.password, nonce))).status).toBe(401);
  });

  it('refuses a nonce issued for another session', async () => {
    const other = (await login(system, 'ivan')).body.session;
    const nonce = await challenge(other.id);
    expect((await token(nonce, proofFor(session.password, nonce))).status).toBe(401);
  });

  it('refills a cold Redis from PostgreSQL and keeps answering', async () => {
    const redis = new Redis(system.testEnv.redisUrl);
    try {
      const keys = await redis.keys(`${system.testEnv.redisPrefix}at:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);

      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(accessToken) })).status).toBe(200);
      expect((await redis.keys(`${system.testEnv.redisPrefix}at:*`)).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('revokes in PostgreSQL too, so refilling a cold Redis cannot bring a revoked token back', async () => {
    const other = await login(system, 'ivan');
    await api(system, 'DELETE', '/api/v1/me/sessions/current', { headers: bearer(other.body.accessToken) });
    const redis = new Redis(system.testEnv.redisUrl);
    try {
      const keys = await redis.keys(`${system.testEnv.redisPrefix}at:*`);
      if (keys.length) await redis.del(...keys);
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(other.body.accessToken) })).status).toBe(401);
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(accessToken) })).status).toBe(200);
    } finally {
      redis.disconnect();
    }
  });
});
