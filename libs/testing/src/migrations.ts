import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { fromWorkspace } from '@gatehouse/config';
import { withDatabase } from './databases';
import { testServers } from './servers';

const MIGRATIONS = fromWorkspace('prisma', 'migrations');

/** A database of its own, migrated up to (not including) one migration, for that migration's tests. */
export interface DatabaseBeforeMigration {
  /** Its connection string (for more clients: a second writer, a reader). */
  url: string;
  /** A client on it, connected. */
  db: Client;
  /** Runs the migration under test on `db`, as the runner does. */
  migrate(): Promise<void>;
  /** Closes `db` and drops the database. */
  drop(): Promise<void>;
}

/** Runs one migration's script as the runner does (statements split on semicolons, one after the other). */
async function runMigration(db: Client, dir: string): Promise<void> {
  const sql = readFileSync(join(MIGRATIONS, dir, 'migration.sql'), 'utf8');
  for (const statement of sql
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean))
    await db.query(statement);
}

export async function databaseBefore(migration: string): Promise<DatabaseBeforeMigration> {
  const server = testServers().postgresUrl;
  const name = `gh_migration_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDatabase(server, name);
  const db = new Client({ connectionString: url });
  await db.connect();
  const earlier = readdirSync(MIGRATIONS)
    .filter((dir) => !dir.endsWith('.toml'))
    .sort()
    .filter((dir) => dir < migration);
  for (const dir of earlier) await runMigration(db, dir);
  return {
    url,
    db,
    migrate: () => runMigration(db, migration),
    drop: async () => {
      await db.end();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
