import { Client } from 'pg';
import { DatabaseBeforeMigration, databaseBefore } from '@gatehouse/testing';

const THIS_ONE = '20261207013657_domain_user_counts';

/** Users per domain as DomainUserCount holds them, and as counted. */
async function counts(db: Client): Promise<{ kept: Record<string, number>; counted: Record<string, number> }> {
  const kept = await db.query<{ domain: string; users: number }>(
    `SELECT domain, users FROM directory."DomainUserCount" WHERE users <> 0 ORDER BY domain`,
  );
  const counted = await db.query<{ domain: string; users: number }>(
    `SELECT domain, count(*)::int AS users FROM directory."User" GROUP BY domain ORDER BY domain`,
  );
  const byDomain = (rows: { domain: string; users: number }[]) => Object.fromEntries(rows.map((r) => [r.domain, r.users]));
  return { kept: byDomain(kept.rows), counted: byDomain(counted.rows) };
}

describe(`migration ${THIS_ONE}`, () => {
  let migration: DatabaseBeforeMigration;
  let db: Client;
  let other: Client;

  const insert = (client: Client, domain: string, ...usernames: string[]) =>
    client.query(
      `INSERT INTO directory."User" (id, domain, username, "updatedAt") SELECT gen_random_uuid(), $1, name, now() FROM unnest($2::text[]) AS name`,
      [domain, usernames],
    );

  beforeAll(async () => {
    migration = await databaseBefore(THIS_ONE);
    db = migration.db;
    other = new Client({ connectionString: migration.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await migration?.drop();
  });

  it('counts the users already there', async () => {
    await insert(db, 'a.example', 'ann', 'ben', 'cid');
    await insert(db, 'b.example', 'dan');

    await migration.migrate();

    expect(await counts(db)).toEqual({ kept: { 'a.example': 3, 'b.example': 1 }, counted: { 'a.example': 3, 'b.example': 1 } });
  });

  it('keeps the counts exact through inserts, deletes and moves, whoever writes and however many rows at once', async () => {
    await insert(db, 'a.example', 'eve', 'fay');
    await insert(db, 'c.example', ...Array.from({ length: 500 }, (_, i) => `bulk${i}`));
    await db.query(`DELETE FROM directory."User" WHERE username IN ('ann', 'bulk7', 'bulk8')`);
    await db.query(`UPDATE directory."User" SET domain = 'b.example' WHERE username IN ('ben', 'bulk9')`);
    await db.query(`UPDATE directory."User" SET "displayName" = 'renamed'`); // no domain changes: no count moves
    // Rolled back: its count goes with it.
    await db.query('BEGIN');
    await insert(db, 'd.example', 'ghost');
    await db.query('ROLLBACK');

    const { kept, counted } = await counts(db);
    expect(kept).toEqual(counted);
    expect(kept).toEqual({ 'a.example': 3, 'b.example': 3, 'c.example': 497 });
  });

  it('counts two transactions writing the same domain at once, each when it commits', async () => {
    await db.query('BEGIN');
    await insert(db, 'e.example', 'one');
    await other.query('BEGIN');
    const waiting = insert(other, 'e.example', 'two', 'three'); // waits for the counter row until the first commits
    // Meanwhile readers see the count the committed rows make: none in e.example yet.
    const reader = new Client({ connectionString: migration.url });
    await reader.connect();
    expect((await counts(reader)).kept['e.example']).toBeUndefined();
    await db.query('COMMIT');
    await waiting;
    expect((await counts(reader)).kept['e.example']).toBe(1);
    await other.query('COMMIT');
    expect((await counts(reader)).kept['e.example']).toBe(3);
    await reader.end();

    const { kept, counted } = await counts(db);
    expect(kept).toEqual(counted);
  });

  it('forgets every count when the users are truncated', async () => {
    await db.query(`TRUNCATE directory."User" CASCADE`);
    expect(await counts(db)).toEqual({ kept: {}, counted: {} });
    expect((await db.query(`SELECT count(*)::int AS n FROM directory."DomainUserCount"`)).rows[0].n).toBe(0);
  });
});
