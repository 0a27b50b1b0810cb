import { ARGON2_MINIMUM, hashPassword } from '@gatehouse/crypto';
import { waitFor } from '@gatehouse/testing';
import { Client } from 'pg';
import { createUser, GOOD_PASSWORD, login } from './support';
import { startTestSystem, TestSystem } from '../support/system';

// Issue 22: passwords are OPAQUE records now; an argon2id hash of any cost is what an upgrade leaves
// behind, accepted once more and replaced by a record at that login.
describe('argon2id hashes from before OPAQUE', () => {
  let system: TestSystem;
  let pg: Client;
  const storedHash = async (userId: string) =>
    (await pg.query<{ passwordHash: string }>('SELECT "passwordHash" FROM auth."Credential" WHERE "userId" = $1', [userId])).rows[0]
      ?.passwordHash ?? null;
  const hasRecord = async (userId: string) =>
    (await pg.query('SELECT 1 FROM auth.opaque_record WHERE "userId" = $1', [userId])).rowCount === 1;

  beforeAll(async () => {
    system = await startTestSystem({ ARGON2_MEMORY_KIB: '24576', ARGON2_PASSES: '3' });
    pg = new Client({ connectionString: system.testEnv.databaseUrl });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await system?.stop();
  });

  it('keeps no hash for a new password, only its OPAQUE record', async () => {
    const user = await createUser(system, { username: 'dora' });
    expect(await storedHash(user.id)).toBeNull();
    expect(await hasRecord(user.id)).toBe(true);
  });

  it('still accepts a password hashed with an older cost, and replaces the hash by a record at that login', async () => {
    const user = await createUser(system, { username: 'eli' });
    await pg.query('DELETE FROM auth.opaque_record WHERE "userId" = $1', [user.id]);
    const old = await hashPassword(GOOD_PASSWORD, ARGON2_MINIMUM);
    await pg.query('INSERT INTO auth."Credential" ("userId", "passwordHash", "createdAt", "updatedAt") VALUES ($1, $2, now(), now())', [
      user.id,
      old,
    ]);

    expect((await login(system, 'eli')).status).toBe(200);
    await waitFor(async () => (await storedHash(user.id)) === null);
    expect(await hasRecord(user.id)).toBe(true);
    expect((await login(system, 'eli')).status).toBe(200);
    expect((await login(system, 'eli', 'not the password at all')).status).toBe(401);
  });
});
