import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { fromWorkspace } from '@gatehouse/config';

export const withDatabase = (serverUrl: string, database: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

/** The template's name follows the migrations' content, so a changed migration makes a new one. */
export function templateName(): string {
  const dir = fromWorkspace('prisma', 'migrations');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.toml')) continue;
    hash.update(name).update(readFileSync(join(dir, name, 'migration.sql')));
  }
  return `gh_template_${hash.digest('hex').slice(0, 12)}`;
}

async function admin<T>(serverUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrates a template database once (with Prisma's engine, as `npm start` does). */
export async function prepareTemplate(serverUrl: string): Promise<string> {
  const name = templateName();
  const exists = await admin(serverUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount);
  if (exists) return name;
  const building = `${name}_building_${randomBytes(3).toString('hex')}`;
  const result = spawnSync(process.execPath, [fromWorkspace('tools', 'db', 'cli.mjs'), 'deploy'], {
    env: { ...process.env, DATABASE_URL: withDatabase(serverUrl, building) },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migrating the test template failed:\n${result.stderr}`);
  await admin(serverUrl, async (c) => {
    try {
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } catch {
      // another run finished the same template first
      await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    }
  });
  return name;
}

/** A fresh database for one test file, copied from the migrated template. */
export async function createTestDatabase(serverUrl: string, template: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gh_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      // "source database is being accessed by other users": another file is copying it right now
      if (attempt > 50 || !/being accessed/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
  return {
    url: withDatabase(serverUrl, name),
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
