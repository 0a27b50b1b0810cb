import { ARGON2_MINIMUM, argon2CostOf, hashPassword } from '@gatehouse/crypto';
import { waitFor } from '@gatehouse/testing';
import { Client } from 'pg';
import { createUser, GOOD_PASSWORD, login } from './support';
import { startTestSystem, TestSystem } from '../support/system';

describe('argon2id cost changes', () => {
  let system: TestSystem;
  let pg: Client;
  const storedHash = async (userId: string) =>
    (await pg.query<{ passwordHash: string }>('SELECT "passwordHash" FROM auth."Credential" WHERE "userId" = $1', [userId])).rows[0].passwordHash;

  beforeAll(async () => {
    system = await startTestSystem({ ARGON2_MEMORY_KIB: '24576', ARGON2_PASSES: '3' });
    pg = new Client({ connectionString: system.testEnv.databaseUrl });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await system?.stop();
  });

  it('hashes new passwords with the configured cost', async () => {
    const user = await createUser(system, { username: 'dora' });
    expect(argon2CostOf(await storedHash(user.id))).toEqual({ memoryKiB: 24_576, passes: 3 });
  });

  it('still accepts a password hashed with an older cost, and hashes it anew at that login', async () => {
    const user = await createUser(system, { username: 'eli' });
    const old = await hashPassword(GOOD_PASSWORD, ARGON2_MINIMUM);
    await pg.query('UPDATE auth."Credential" SET "passwordHash" = $2 WHERE "userId" = $1', [user.id, old]);

    expect((await login(system, 'eli')).status).toBe(200);
    await waitFor(async () => (await storedHash(user.id)) !== old);
    expect(argon2CostOf(await storedHash(user.id))).toEqual({ memoryKiB: 24_576, passes: 3 });
    expect((await login(system, 'eli')).status).toBe(200);
    expect((await login(system, 'eli', 'not the password at all')).status).toBe(401);
  });
});
