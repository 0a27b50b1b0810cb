#!/usr/bin/env node
// Migrations with Prisma's own schema engine (WebAssembly build), in Prisma's folder format.
//   node tools/db/cli.mjs deploy                      apply pending migrations (like `prisma migrate deploy`)
//   node tools/db/cli.mjs new <name> [--service svc]  write a migration for what the schema changed
//   node tools/db/cli.mjs check                       fail when the schema has changes with no migration
//   node tools/db/cli.mjs status                      what is applied, pending, edited or failed
// DATABASE_URL names the database; deploy creates it when it does not exist.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { openEngine } from './schema-engine.mjs';
import { filters, lockfileContent, migrationsDir, migrationsList, schemaFiles, serviceSchemaFiles } from './migrations.mjs';

const require = createRequire(import.meta.url);
const log = (message) => process.stderr.write(`[db] ${message}\n`);

async function ensureDatabase(databaseUrl) {
  const { Client } = require('pg');
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      log(`created database ${name}`);
    }
  } catch (error) {
    // Two processes may create it at once; the loser finds it there.
    if (error.code !== '42P04' && error.code !== '23505') throw error;
  } finally {
    await client.end();
  }
}

async function engineFor(databaseUrl, files = schemaFiles()) {
  return openEngine(
    databaseUrl,
    files.map((file) => [file.path, file.content]),
  );
}

async function deploy(databaseUrl) {
  await ensureDatabase(databaseUrl);
  const engine = await engineFor(databaseUrl);
  const list = migrationsList();
  log(`applying ${list.migrationDirectories.length} migration(s) to ${redact(databaseUrl)}`);
  const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters });
  log(appliedMigrationNames.length ? `applied ${appliedMigrationNames.join(', ')}` : 'database is up to date');
}

async function diffToSchema(databaseUrl, service) {
  await ensureDatabase(databaseUrl);
  const files = service ? serviceSchemaFiles(service) : schemaFiles();
  const engine = await engineFor(databaseUrl, files);
  const { stdout } = await engine.diff({
    from: { tag: 'migrations', ...migrationsList() },
    to: { tag: 'schemaDatamodel', files },
    script: true,
    exitCode: null,
    filters,
  });
  const sql = (stdout ?? '').trim();
  return sql === '' || sql === '-- This is an empty migration.' ? '' : `${sql}\n`;
}

async function create(databaseUrl, name, service) {
  if (!/^[a-z0-9_]+$/.test(name ?? '')) throw new Error('name the migration in snake_case: new <name>');
  const sql = await diffToSchema(databaseUrl, service);
  if (!sql) return log('the schema has no changes that need a migration');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), sql);
  writeFileSync(join(migrationsDir, 'migration_lock.toml'), lockfileContent);
  log(`wrote ${dir}/migration.sql`);
}

async function check(databaseUrl) {
  const sql = await diffToSchema(databaseUrl);
  if (sql) {
    process.stderr.write(sql);
    throw new Error('prisma/schema has changes that no migration holds: run `npm run db:migration -- <name>`');
  }
  log('migrations match the schema');
}

async function status(databaseUrl) {
  const engine = await engineFor(databaseUrl);
  const result = await engine.diagnoseMigrationHistory({ migrationsList: migrationsList(), optInToShadowDatabase: false, filters });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

function redact(databaseUrl) {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

const [command = 'deploy', ...args] = process.argv.slice(2);
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/gatehouse';
const serviceIndex = args.indexOf('--service');
const service = serviceIndex >= 0 ? args[serviceIndex + 1] : undefined;
const positional = serviceIndex >= 0 ? args.filter((_, i) => i !== serviceIndex && i !== serviceIndex + 1) : args;
// The migration check diffs against a scratch database of its own.
const scratchUrl = () => {
  const url = new URL(databaseUrl);
  url.pathname = `/gatehouse_migration_scratch`;
  return url.toString();
};

const commands = {
  deploy: () => deploy(databaseUrl),
  new: () => create(scratchUrl(), positional[0], service),
  check: () => check(scratchUrl()),
  status: () => status(databaseUrl),
};

if (!commands[command]) {
  log(`unknown command ${command}; use deploy, new, check or status`);
  process.exit(2);
}
commands[command]().then(
  () => process.exit(0),
  (error) => {
    log(`failed: ${error.message.split('\n')[0]}`);
    process.exit(1);
  },
);
