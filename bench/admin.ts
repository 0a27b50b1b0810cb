// bench/admin: the admin user list on the filled database (bench/data.ts: 50,000 of its 100,000 users in
// the admin's domain) — search by name, email and display-name prefix, paging, their counts — and
// `GET /me/sessions` for a user with 50 sessions, p50/p99 through the gateway. The comparison in the
// same run: the list's SQL as it was before issue 23 (ILIKE '%q%', no index for the order) against
// today's, timed in PostgreSQL itself, and whether any request here made PostgreSQL scan the users table.
// Each measured part also says the CPU milliseconds per request of the gateway, the services and their PostgreSQL
// backends (/proc: it survives a shared machine better than latency), after a CHECKPOINT, and whether autovacuum
// workers or checkpoints ran meanwhile.
// Run: npm run bench:admin   (after npm run bench:data; BENCH_ROUNDS=20 for a quick run)
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { LIST_STATEMENTS, prefixRange, userByEmailSql, userByNameSql } from '../apps/directory/src/users/users.repository';
import { BENCH_PASSWORD } from './support/gatehouse-server';
import { benchDatabaseUrl } from './support/data-set';
import { startGatehouse, writeResults } from './support/harness';
import { Timing, cpuPerRequest, summarize, timeGets } from './support/timing';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? '100');
/**
 * Untimed rounds of every path first (50: 800 requests, a few seconds). Two were too few: V8 was still compiling and
 * optimizing the request path of the gateway and the services during the first measured part, the search, which then
 * carried CPU the later parts did not: with two rounds a search cost the gateway 1.24-1.47x a page's CPU and the
 * services 1.19-1.32x in the same run, with fifty 0.84-1.0x and 0.85-1.01x (three runs each, 2026-12-07).
 */
const WARM_UP_ROUNDS = Number(process.env.BENCH_WARM_UP_ROUNDS ?? '50');
const SESSIONS = 50;
const BENCH_DATABASE = decodeURIComponent(new URL(benchDatabaseUrl()).pathname.slice(1));

/** Prefixes of names, emails and display names of the filled data, from one letter to a whole name, and one that finds nobody. */
const SEARCHES = ['a', 'gr', 'eva', 'felix.f', 'greta.hahn', 'mia.maier1', 'Karin K', 'Hugo Lang', 'olga.jung', 'zz'];
const PAGES = [0, 50, 1_000, 10_000, 25_000];

async function login(url: string, username: string): Promise<{ accessToken: string }> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD, device: { name: 'bench', platform: 'node' }, application: 'longLogin' }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { accessToken: string };
}

/** PostgreSQL's own background work (autovacuum workers, checkpoints so far), which would share the cores with the requests. */
async function background(db: Client): Promise<{ autovacuumWorkers: number; checkpoints: number }> {
  const query = (checkpoints: string) =>
    db.query<{ workers: string; checkpoints: string }>(
      `SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker') AS workers, (${checkpoints}) AS checkpoints`,
    );
  // PostgreSQL 17 moved the checkpoint counts to pg_stat_checkpointer.
  const { rows } = await query('SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter').catch(() =>
    query('SELECT num_timed + num_requested FROM pg_stat_checkpointer'),
  );
  return { autovacuumWorkers: Number(rows[0].workers), checkpoints: Number(rows[0].checkpoints) };
}

/** PostgreSQL's server processes for the bench database but the bench's own connection (the services' pool), by their title. */
function postgresBackends(ownPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === ownPid) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres:') && title.includes(` ${BENCH_DATABASE} `)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const seqScans = async (db: Client): Promise<number> => {
  // Statistics reach the shared view when a backend flushes them (at most a second later).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const { rows } = await db.query<{ n: string }>(
    `SELECT seq_scan AS n FROM pg_stat_user_tables WHERE relid = 'directory."User"'::regclass`,
  );
  return Number(rows[0].n);
};

/** Execution time of one statement in PostgreSQL (EXPLAIN ANALYZE), and whether its plan scans the users table. */
async function explain(db: Client, text: string, values: unknown[]): Promise<{ ms: number; seqScan: boolean }> {
  const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: unknown; 'Execution Time': number }] }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
    values,
  );
  const [plan] = rows[0]['QUERY PLAN'];
  return { ms: plan['Execution Time'], seqScan: scansUsers(plan.Plan as PlanNode) };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const scansUsers = (node: PlanNode): boolean =>
  (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'User') || (node.Plans ?? []).some(scansUsers);

/**
 * The list's statements, as they were (ILIKE '%q%': page and count) and as they are (apps/directory's UsersRepository.list:
 * one statement, the search's prefix as a range of the lower() keys, the domain's total kept by the database).
 */
function listSql(kind: 'before' | 'after', q: string): { page: string; count: string | null; values: unknown[] } {
  if (kind === 'after') {
    const { from, to } = prefixRange(q.toLowerCase());
    return { page: LIST_STATEMENTS.search.page.text, count: null, values: ['example.com', from, to, 50, 0] };
  }
  const where = `domain = $1 AND (username ILIKE $2 OR "displayName" ILIKE $2 OR email ILIKE $2)`;
  return {
    page: `SELECT id FROM directory."User" WHERE ${where} ORDER BY username LIMIT 50`,
    count: `SELECT count(*) FROM directory."User" WHERE ${where}`,
    values: ['example.com', `%${q}%`],
  };
}

async function sqlComparison(db: Client) {
  const out: Record<string, { before: Timing; after: Timing; afterScans: number }> = {};
  for (const kind of ['search', 'page'] as const) {
    const before: number[] = [];
    const after: number[] = [];
    let afterScans = 0;
    for (let round = 0; round < Math.max(3, ROUNDS / 20); round++) {
      for (const q of kind === 'search' ? SEARCHES : ['']) {
        for (const k of ['before', 'after'] as const) {
          const sql = listSql(k, q);
          const page =
            kind === 'page'
              ? k === 'before'
                ? {
                    text: `SELECT id FROM directory."User" WHERE domain = $1 ORDER BY username LIMIT 50 OFFSET 25000`,
                    values: ['example.com'],
                  }
                : { text: LIST_STATEMENTS.page.text, values: ['example.com', 50, 25_000] }
              : { text: sql.page, values: sql.values };
          const count =
            kind === 'page'
              ? k === 'before'
                ? { text: `SELECT count(*) FROM directory."User" WHERE domain = $1`, values: ['example.com'] }
                : null
              : sql.count && { text: sql.count, values: sql.values };
          const a = await explain(db, page.text, page.values);
          const b = count ? await explain(db, count.text, count.values) : { ms: 0, seqScan: false };
          (k === 'before' ? before : after).push(a.ms + b.ms);
          if (k === 'after' && (a.seqScan || b.seqScan)) afterScans++;
        }
      }
    }
    out[kind] = { before: summarize(before), after: summarize(after), afterScans };
  }
  return out;
}

async function main() {
  const db = new Client({ connectionString: benchDatabaseUrl() });
  await db.connect();
  const { rows } = await db.query<{ users: string; domainUsers: string }>(
    `SELECT count(*) AS users, count(*) FILTER (WHERE domain = 'example.com') AS "domainUsers" FROM directory."User"`,
  );
  if (Number(rows[0].users) < 1000) throw new Error('the bench database is empty: run npm run bench:data first');

  // Logins look users up by name and by email: neither may scan (the plan, on the filled table).
  const lookups = {
    byName: await explain(db, userByNameSql('example.com', 'Greta.Hahn7').text, userByNameSql('example.com', 'Greta.Hahn7').values),
    byEmail: await explain(db, userByEmailSql('GRETA.hahn7@example.com').text, userByEmailSql('GRETA.hahn7@example.com').values),
  };
  const sql = await sqlComparison(db);
  console.log(JSON.stringify({ loginLookups: lookups, sqlBeforeAndAfter: sql }, null, 2));

  const gatehouse = await startGatehouse({ filled: true });
  try {
    // The admin's own 50 sessions (50 logins, four at a time: each hashes at the production cost).
    let accessToken = '';
    for (let i = 0; i < SESSIONS; i += 4) {
      const batch = await Promise.all(Array.from({ length: Math.min(4, SESSIONS - i) }, () => login(gatehouse.url, gatehouse.user)));
      accessToken = batch[0].accessToken;
    }
    const headers = { authorization: `Bearer ${accessToken}` };
    const scansBefore = await seqScans(db);
    const searchPaths = SEARCHES.map((q) => `/api/v1/admin/users?q=${encodeURIComponent(q)}`);
    const pagePaths = PAGES.map((offset) => `/api/v1/admin/users?offset=${offset}&limit=50`);
    const mySessionsPath = '/api/v1/me/sessions';
    await timeGets(gatehouse.url, [...searchPaths, ...pagePaths, mySessionsPath], headers, WARM_UP_ROUNDS); // every path measured
    // The writes of bench:data and of the logins above reach the disk now, not during the requests (a superuser's
    // statement: skipped when the bench's role may not); autovacuum workers and checkpoints during the run are reported.
    await db.query('CHECKPOINT').catch(() => undefined);
    const backgroundBefore = await background(db);
    const ownBackend = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const processes = {
      gateway: () => [gatehouse.gateway.pid!],
      services: () => [gatehouse.services.pid!],
      postgres: () => postgresBackends(ownBackend),
    };
    const search = await cpuPerRequest(processes, () => timeGets(gatehouse.url, searchPaths, headers, ROUNDS));
    const paging = await cpuPerRequest(processes, () => timeGets(gatehouse.url, pagePaths, headers, ROUNDS));
    const mySessions = await cpuPerRequest(processes, () => timeGets(gatehouse.url, [mySessionsPath], headers, ROUNDS * 5));
    const backgroundAfter = await background(db);
    const scansDuring = (await seqScans(db)) - scansBefore;
    const sessionsListed = (await (await fetch(`${gatehouse.url}${mySessionsPath}`, { headers })).json()) as
      unknown[] | { items: unknown[] };
    const counts = await Promise.all(
      SEARCHES.map(async (q) => {
        const r = await fetch(`${gatehouse.url}/api/v1/admin/users?q=${encodeURIComponent(q)}&limit=1`, { headers });
        return [q, ((await r.json()) as { total: number }).total] as const;
      }),
    );
    const summary = {
      users: Number(rows[0].users),
      usersInDomain: Number(rows[0].domainUsers),
      rounds: ROUNDS,
      warmUpRounds: WARM_UP_ROUNDS,
      searches: Object.fromEntries(counts),
      search,
      paging: { offsets: PAGES, ...paging },
      mySessions: { sessions: Array.isArray(sessionsListed) ? sessionsListed.length : sessionsListed.items?.length, ...mySessions },
      usersTableSeqScansDuringRequests: scansDuring,
      // PostgreSQL's background work while the requests ran (a CHECKPOINT went first): workers at start and end, checkpoints between
      postgresBackground: {
        autovacuumWorkers: [backgroundBefore.autovacuumWorkers, backgroundAfter.autovacuumWorkers],
        checkpointsDuring: backgroundAfter.checkpoints - backgroundBefore.checkpoints,
      },
      loginLookups: lookups,
      sqlBeforeAndAfter: sql,
      targets: { searchP99Ms: '< 20', pagingP99Ms: '< 20', mySessionsP99Ms: '< 10', usersTableSeqScans: 0 },
      met: {
        search: search.p99Ms < 20 && search.errors === 0,
        paging: paging.p99Ms < 20 && paging.errors === 0,
        mySessions: mySessions.p99Ms < 10 && mySessions.errors === 0,
        noScans: scansDuring === 0 && !lookups.byName.seqScan && !lookups.byEmail.seqScan,
      },
    };
    console.log(JSON.stringify(summary, null, 2));
    writeResults('admin', summary);
  } finally {
    await gatehouse.stop();
    await db.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
