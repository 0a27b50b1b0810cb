// bench/data: fills a database with the data of a real installation: 100,000 users over 10 domains,
// 1,000 apps, 100 templates and 1,000,000 sessions (a fifth of them expired), by bulk SQL
// (INSERT … SELECT generate_series) that yields the rows the services' own write paths make:
// the generated lower() keys are the database's, sessions carry the user's snapshot, every live
// session used in the last hour holds an access token (in PostgreSQL and in Redis, as a login leaves it).
// Run: npm run bench:data   (BENCH_DATA_SCALE=0.1 for a tenth of everything; BENCH_DATABASE_URL names the database)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { BENCH_DATA, benchDatabaseUrl, benchRedisUrl } from './support/data-set';
import { writeResults } from './support/harness';

const root = join(__dirname, '..');
const scale = Number(process.env.BENCH_DATA_SCALE ?? '1');
const counts = {
  users: Math.round(BENCH_DATA.users * scale),
  // multiples of ten: each domain holds a tenth
  apps: Math.max(20, Math.round((BENCH_DATA.apps * scale) / 10) * 10),
  templates: Math.max(10, Math.round((BENCH_DATA.templates * scale) / 10) * 10),
  sessions: Math.round(BENCH_DATA.sessions * scale),
};
const CHUNK = 50_000;

const FIRST = ['anna', 'ben', 'carla', 'david', 'eva', 'felix', 'greta', 'hugo', 'ida', 'jonas', 'karin', 'lukas', 'mia', 'noah', 'olga'];
const LAST = ['adler', 'becker', 'conrad', 'dietz', 'engel', 'fischer', 'graf', 'hahn', 'illner', 'jung', 'keller', 'lang', 'maier'];
const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;

function progress(label: string, done: number, total: number, startedAt: number) {
  const seconds = (Date.now() - startedAt) / 1000;
  process.stdout.write(`\r${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${Math.round(done / seconds)}/s)   `);
  if (done >= total) process.stdout.write('\n');
}

async function chunked(db: Client, label: string, total: number, sql: (from: number, to: number) => string) {
  const startedAt = Date.now();
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    await db.query(sql(from, to));
    progress(label, to, total, startedAt);
  }
}

async function main() {
  const url = benchDatabaseUrl();
  const started = Date.now();
  const server = new URL(url);
  const name = decodeURIComponent(server.pathname.slice(1));
  server.pathname = '/postgres';
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  console.log(`migrating ${name} …`);
  const migrated = spawnSync(process.execPath, [join(root, 'tools', 'db', 'cli.mjs'), 'deploy'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (migrated.status !== 0) throw new Error('migrating the bench database failed');

  const db = new Client({ connectionString: url });
  await db.connect();
  // Bulk load: no synchronous commit per chunk (the data is throw-away).
  await db.query('SET synchronous_commit = off');
  const domains = BENCH_DATA.domains;
  // Half of the users in the first domain (the one the admin benchmark searches), the rest spread over nine.
  const half = Math.floor(counts.users / 2);
  const domainOf = (i: string) => `CASE WHEN ${i} <= ${half} THEN '${domains[0]}' ELSE (${sqlArray(domains.slice(1))})[1 + ${i} % 9] END`;

  await chunked(
    db,
    'users',
    counts.users,
    (from, to) => `
    INSERT INTO directory."User" (id, domain, username, email, "displayName", language, admin, "createdAt", "updatedAt", "homeScreen")
    SELECT gen_random_uuid(), ${domainOf('i')}, f || '.' || l || i, f || '.' || l || i || '@' || ${domainOf('i')},
      initcap(f) || ' ' || initcap(l), 'en', i % 1000 = 0, now() - (i || ' seconds')::interval, now(), ''
    FROM generate_series(${from}, ${to}) AS i,
      LATERAL (SELECT (${sqlArray(FIRST)})[1 + i % ${FIRST.length}] AS f, (${sqlArray(LAST)})[1 + (i / ${FIRST.length}) % ${LAST.length}] AS l) AS n`,
  );
  const started2 = Date.now();
  await db.query(`
    INSERT INTO directory."App" (id, domain, "appId", "longName", "secretEncrypted", url, "updatedAt")
    SELECT gen_random_uuid(), (${sqlArray(domains)})[1 + i % 10], 'app' || i, 'App ' || i, '', 'https://app' || i || '.example.com/', now()
    FROM generate_series(1, ${counts.apps}) AS i`);
  await db.query(`
    INSERT INTO directory."Template" (id, domain, name, "updatedAt")
    SELECT gen_random_uuid(), (${sqlArray(domains)})[1 + i % 10], 'template' || i, now() FROM generate_series(1, ${counts.templates}) AS i`);
  // Each template grants five apps of its domain; each user has one template and two apps of their own.
  await db.query(`
    INSERT INTO directory."TemplateAppGrant" ("templateId", "appId")
    SELECT t.id, a.id FROM directory."Template" t
    JOIN LATERAL (SELECT id FROM directory."App" WHERE domain = t.domain ORDER BY random() LIMIT 5) a ON true`);
  progress('apps, templates', counts.apps + counts.templates, counts.apps + counts.templates, started2);
  await db.query(
    `CREATE TEMP TABLE t_rank AS SELECT id, domain, row_number() OVER (PARTITION BY domain ORDER BY id) AS n FROM directory."Template"`,
  );
  await db.query(
    `CREATE TEMP TABLE a_rank AS SELECT id, domain, row_number() OVER (PARTITION BY domain ORDER BY id) AS n FROM directory."App"`,
  );
  await db.query(
    `CREATE TEMP TABLE u_rank AS SELECT id, domain, username, admin, row_number() OVER (ORDER BY "createdAt" DESC, id) AS n FROM directory."User"`,
  );
  await db.query('CREATE INDEX ON u_rank (n)');
  await db.query('ANALYZE t_rank, a_rank, u_rank');
  // Apps and templates are dealt to the domains in turn (i % 10), so each domain holds a tenth of them.
  const perDomain = (table: string, alias: string, k: string, count: number) =>
    `JOIN ${table} ${alias} ON ${alias}.domain = u.domain AND ${alias}.n = 1 + (${k}) % ${count / 10}`;
  await chunked(
    db,
    'grants',
    counts.users,
    (from, to) => `
    WITH u AS (SELECT * FROM u_rank WHERE n BETWEEN ${from} AND ${to}),
    t AS (INSERT INTO directory."UserTemplate" ("userId", "templateId") SELECT u.id, t.id FROM u ${perDomain('t_rank', 't', 'u.n', counts.templates)})
    INSERT INTO directory."UserAppGrant" ("userId", "appId")
    SELECT u.id, a.id FROM u CROSS JOIN generate_series(0, 1) AS g ${perDomain('a_rank', 'a', 'u.n * 7 + g', counts.apps)}`,
  );

  // Sessions: ten per user on average; every fifth expired (up to a week ago), the others live for up to a week more.
  const expired = `(s % 5 = 0)`;
  await chunked(
    db,
    'sessions',
    counts.sessions,
    (from, to) => `
    INSERT INTO sessions."Session" (id, "userId", domain, username, admin, external, "passwordHash", "deviceName", "devicePlatform",
      application, ip, "createdAt", "lastUsedAt", "expiresAt")
    SELECT gen_random_uuid(), u.id, u.domain, u.username, u.admin, false, encode(sha256(('session' || s)::bytea), 'hex'),
      'Device ' || s, (ARRAY['web','ios','android','windows'])[1 + s % 4], (ARRAY['refreshable','longLogin','default'])[1 + s % 3],
      '10.' || (s % 250) || '.' || (s / 250 % 250) || '.1',
      now() - interval '8 days' + (s % 86400 || ' seconds')::interval,
      CASE WHEN ${expired} THEN now() - interval '1 day' - (s % 518400 || ' seconds')::interval ELSE now() - (s % 3600 || ' seconds')::interval END,
      CASE WHEN ${expired} THEN now() - (s % 604800 || ' seconds')::interval - interval '1 second' ELSE now() + interval '1 hour' + (s % 518400 || ' seconds')::interval END
    FROM generate_series(${from}, ${to}) AS s JOIN u_rank u ON u.n = 1 + s % ${counts.users}`,
  );
  // A token for one live session in ten (used within the last hour), with its Redis copy.
  const tokensStarted = Date.now();
  await db.query(`
    INSERT INTO sessions."AccessToken" ("tokenHash", "sessionId", "createdAt", "expiresAt")
    SELECT encode(sha256(('token' || id)::bytea), 'hex'), id, "lastUsedAt", "lastUsedAt" + interval '1 hour'
    FROM sessions."Session" WHERE "expiresAt" > now() AND "lastUsedAt" > now() - interval '1 hour' AND abs(hashtext(id::text)) % 10 = 0`);
  progress('access tokens', 1, 1, tokensStarted);
  // VACUUM as autovacuum would: the visibility map lets counts be index-only scans, as on a settled installation.
  await db.query('VACUUM ANALYZE');
  const redisFigures = await redisCopies(db);

  const figures = await db.query<{ users: string; sessions: string; expired: string; tokens: string; bytes: string }>(`
    SELECT (SELECT count(*) FROM directory."User") AS users, (SELECT count(*) FROM sessions."Session") AS sessions,
      (SELECT count(*) FROM sessions."Session" WHERE "expiresAt" <= now()) AS expired,
      (SELECT count(*) FROM sessions."AccessToken") AS tokens,
      (SELECT pg_total_relation_size('sessions."Session"') + pg_total_relation_size('sessions."AccessToken"')) AS bytes`);
  const sizes = await db.query<{ users: string; sessions: string; tokens: string }>(`
    SELECT pg_total_relation_size('directory."User"') AS users, pg_total_relation_size('sessions."Session"') AS sessions,
      pg_total_relation_size('sessions."AccessToken"') AS tokens`);
  await db.end();
  const f = figures.rows[0];
  const s = sizes.rows[0];
  writeResults('data', {
    scale,
    users: Number(f.users),
    sessions: Number(f.sessions),
    expired: Number(f.expired),
    accessTokens: Number(f.tokens),
    seconds: Math.round((Date.now() - started) / 1000),
    postgres: {
      usersBytes: Number(s.users),
      sessionsBytes: Number(s.sessions),
      accessTokensBytes: Number(s.tokens),
      bytesPer100kSessions: Math.round((Number(s.sessions) / Number(f.sessions)) * 100_000),
      bytesPer100kUsers: Math.round((Number(s.users) / Number(f.users)) * 100_000),
    },
    redis: {
      tokenCopies: redisFigures.tokens,
      bytes: redisFigures.bytes,
      bytesPer100kTokens: Math.round((redisFigures.bytes / Math.max(1, redisFigures.tokens)) * 100_000),
    },
  });
  console.log(
    `${name}: ${f.users} users, ${f.sessions} sessions (${f.expired} expired), ${f.tokens} access tokens; ` +
      `sessions take ${(Number(f.bytes) / 2 ** 20).toFixed(0)} MiB in PostgreSQL; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

/** The Redis copies of the live tokens (key at:<hash> under the bench prefix, TTL until the token's expiry). */
async function redisCopies(db: Client): Promise<{ tokens: number; bytes: number }> {
  const redis = new Redis(benchRedisUrl(), { lazyConnect: true });
  await redis.connect();
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const prefix = BENCH_DATA.redisPrefix;
  let cursor: string | undefined;
  do {
    const old = await redis.scan(cursor ?? '0', 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    cursor = old[0];
    if (old[1].length) await redis.unlink(...old[1]);
  } while (cursor !== '0');
  const memoryBefore = await usedMemory();
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM sessions."AccessToken"');
  const total = Number(rows[0].n);
  const startedAt = Date.now();
  let done = 0;
  let last = '';
  for (;;) {
    const batch = await db.query<{
      tokenHash: string;
      sessionId: string;
      userId: string;
      domain: string;
      username: string;
      admin: boolean;
      ms: string;
    }>(
      `SELECT t."tokenHash", t."sessionId", s."userId", s.domain, s.username, s.admin,
         (extract(epoch FROM t."expiresAt") * 1000)::bigint AS ms
       FROM sessions."AccessToken" t JOIN sessions."Session" s ON s.id = t."sessionId"
       WHERE t."tokenHash" > $1 ORDER BY t."tokenHash" LIMIT 10000`,
      [last],
    );
    if (batch.rows.length === 0) break;
    const pipeline = redis.pipeline();
    const now = Date.now();
    for (const r of batch.rows) {
      const entry = {
        userId: r.userId,
        domain: r.domain,
        username: r.username,
        admin: r.admin,
        external: false,
        sessionId: r.sessionId,
        expiresAtMs: Number(r.ms),
      };
      pipeline.set(`${prefix}at:${r.tokenHash}`, JSON.stringify(entry), 'PX', Math.max(1000, Number(r.ms) - now));
    }
    await pipeline.exec();
    done += batch.rows.length;
    last = batch.rows[batch.rows.length - 1].tokenHash;
    progress('redis token copies', done, total, startedAt);
  }
  const bytes = (await usedMemory()) - memoryBefore;
  await redis.quit();
  return { tokens: done, bytes };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
