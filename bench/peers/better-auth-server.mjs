// better-auth on the same PostgreSQL as Gatehouse, for bench/token-check (its own database).
import http from 'node:http';
import pg from 'pg';
import { betterAuth } from 'better-auth';
import { toNodeHandler } from 'better-auth/node';
import { getMigrations } from 'better-auth/db/migration';

const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `bench_better_auth_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${database}"`);
await admin.end();
const url = new URL(serverUrl);
url.pathname = `/${database}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
// At stop the database is dropped WITH (FORCE): a connection still open then is ended by the server, which is expected.
pool.on('error', () => undefined);

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = `http://127.0.0.1:${server.address().port}`;
const auth = betterAuth({
  database: pool,
  baseURL,
  secret: 'bench-secret-bench-secret-bench-secret-0123456789',
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  logger: { disabled: true },
});
const { runMigrations } = await getMigrations(auth.options);
await runMigrations();
server.on('request', toNodeHandler(auth));

const stop = async () => {
  server.close();
  await pool.end();
  const cleanup = new pg.Client({ connectionString: serverUrl });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await cleanup.end();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`${JSON.stringify({ ready: true, url: baseURL })}\n`);
