import type { Client } from 'pg';
import { DatabaseBeforeMigration, databaseBefore } from '@gatehouse/testing';

const THIS_ONE = '20261206102520_users_unique_names_and_emails_ignoring_case';

describe(`migration ${THIS_ONE}`, () => {
  let migration: DatabaseBeforeMigration;
  let db: Client;

  beforeAll(async () => {
    migration = await databaseBefore(THIS_ONE);
    db = migration.db;
  });
  afterAll(async () => {
    await migration?.drop();
  });

  it('resolves existing duplicates: the oldest keeps the name or email, a later one is renamed or loses the email', async () => {
    const insert = (id: string, domain: string, username: string, email: string | null, daysAgo: number) =>
      db.query(
        `INSERT INTO directory."User" (id, domain, username, email, "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, now() - make_interval(days => $5), now())`,
        [id, domain, username, email, daysAgo],
      );
    await insert('11111111-1111-4111-8111-111111111111', 'a.example', 'Bob', 'bob@x.example', 3);
    await insert('22222222-2222-4222-8222-222222222222', 'a.example', 'bob', 'BOB@x.example', 2);
    await insert('33333333-3333-4333-8333-333333333333', 'b.example', 'BOB', 'Bob@X.example', 1);

    await migration.migrate();

    const rows = (await db.query('SELECT id, username, email FROM directory."User" ORDER BY "createdAt"')).rows;
    expect(rows).toEqual([
      { id: '11111111-1111-4111-8111-111111111111', username: 'Bob', email: 'bob@x.example' },
      { id: '22222222-2222-4222-8222-222222222222', username: 'bob~22222222', email: null },
      { id: '33333333-3333-4333-8333-333333333333', username: 'BOB', email: null },
    ]);
    // From now on the database itself refuses them, whoever writes.
    await expect(insert('44444444-4444-4444-8444-444444444444', 'a.example', 'BOB', null, 0)).rejects.toThrow(
      /User_domain_usernameKey_key/,
    );
    await expect(insert('55555555-5555-4555-8555-555555555555', 'c.example', 'zed', 'BOB@X.EXAMPLE', 0)).rejects.toThrow(
      /User_emailKey_key/,
    );
  });
});
