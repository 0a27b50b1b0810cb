import Redis from 'ioredis';
import { Client } from 'pg';
import { startTestSystem, TestSystem } from '../support/system';
import { createUser, login } from './support';

describe('counting failed logins', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({
      THROTTLE_LOGIN_FREE_ATTEMPTS: '1000',
      THROTTLE_ACCOUNT_FREE_ATTEMPTS: '100',
      THROTTLE_ADDRESS_FREE_ATTEMPTS: '1000',
    });
  });
  afterAll(() => system.stop());

  it('counts 50 parallel wrong passwords as exactly 50', async () => {
    const erin = await createUser(system, { username: 'erin' });

    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => login(system, 'erin', `wrong password number ${i}`)));

    expect(responses.every((r) => r.status === 401)).toBe(true);
    const redis = new Redis(system.testEnv.redisUrl, { keyPrefix: system.testEnv.redisPrefix });
    const db = new Client({ connectionString: system.testEnv.databaseUrl });
    await db.connect();
    try {
      expect(await redis.hget(`bf:acct:${erin.id}`, 'fails')).toBe('50');
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM auth.audit WHERE "userId" = $1 AND outcome = 'failure'`, [erin.id]);
      expect(rows[0].n).toBe(50);
    } finally {
      redis.disconnect();
      await db.end();
    }
  });
});
