import { Client } from 'pg';
import { startTestSystem, TestSystem } from '../support/system';
import { createUser, GOOD_PASSWORD, login } from './support';

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const WRONG = 'definitely not the password';

describe('brute-force protection', () => {
  let system: TestSystem;
  let db: Client;

  beforeAll(async () => {
    system = await startTestSystem({ TRUST_PROXY: 'true', THROTTLE_ADDRESS_FREE_ATTEMPTS: '8', THROTTLE_ACCOUNT_FREE_ATTEMPTS: '20' });
    db = new Client({ connectionString: system.testEnv.databaseUrl });
    await db.connect();
    for (const username of ['bob', 'carol', 'dave', 'frank']) await createUser(system, { username });
  });
  afterAll(async () => {
    await db.end();
    await system.stop();
  });

  it('locks a login from one address after 5 wrong passwords, even for the right one, until the wait is over', async () => {
    for (let i = 0; i < 5; i++) expect((await login(system, 'bob', WRONG, {}, from('10.0.0.1'))).status).toBe(401);

    const locked = await login(system, 'bob', GOOD_PASSWORD, {}, from('10.0.0.1'));
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);

    system.clock.advance(retryAfter * 1000);
    expect((await login(system, 'bob', GOOD_PASSWORD, {}, from('10.0.0.1'))).status).toBe(200);
  });

  it('makes the waits grow with every further failure, up to a cap', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) expect((await login(system, 'carol', WRONG, {}, from('10.0.1.1'))).status).toBe(401);
    for (let round = 0; round < 4; round++) {
      expect((await login(system, 'carol', WRONG, {}, from('10.0.1.1'))).status).toBe(401);
      const locked = await login(system, 'carol', WRONG, {}, from('10.0.1.1'));
      expect(locked.status).toBe(429);
      waits.push(Number(locked.headers.get('retry-after')));
      system.clock.advance(waits[round] * 1000);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    expect((await login(system, 'carol', GOOD_PASSWORD, {}, from('10.0.1.1'))).status).toBe(200);
  });

  it('locks unknown users like known ones, so a lock tells nothing', async () => {
    for (let i = 0; i < 5; i++) expect((await login(system, 'ghost', WRONG, {}, from('10.0.2.1'))).status).toBe(401);
    expect((await login(system, 'ghost', WRONG, {}, from('10.0.2.1'))).status).toBe(429);
  });

  it('lets exactly 5 of 50 parallel wrong passwords from one address be tried; the rest wait', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => login(system, 'dave', `${WRONG} ${i}`, {}, from('10.1.0.1'))));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
  });

  it('lets exactly the account limit (20 here) of 50 parallel wrong passwords from 50 addresses be tried; the rest wait', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login(system, 'frank', `${WRONG} ${i}`, {}, from(`10.1.1.${i}`))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });

  it('limits one client address across accounts', async () => {
    for (let i = 0; i < 8; i++) expect((await login(system, `spray-${i}`, WRONG, {}, from('10.9.9.9'))).status).toBe(401);
    const blocked = await login(system, 'someone-else', WRONG, {}, from('10.9.9.9'));
    expect(blocked.status).toBe(429);
    expect((await login(system, 'someone-else', WRONG, {}, from('10.9.9.10'))).status).toBe(401);
  });

  it('records logins and lockouts as audit events with who, when, where and outcome', async () => {
    const { rows } = await db.query(
      `SELECT type, outcome, login, ip, "userId" FROM auth.audit WHERE login = 'bob' ORDER BY "createdAt", type`,
    );
    expect(rows.filter((r) => r.type === 'login' && r.outcome === 'failure')).toHaveLength(5);
    expect(rows.filter((r) => r.type === 'lockout')).toHaveLength(1);
    expect(rows.filter((r) => r.outcome === 'throttled')).toHaveLength(1);
    expect(rows.find((r) => r.outcome === 'success')).toMatchObject({ ip: '10.0.0.1' });
    expect(rows.every((r) => r.userId)).toBe(true);
  });
});
