// bench/sweep: the expiry sweep ending 200,000 expired sessions on the filled database (bench/data.ts),
// how long it takes, and the token-check p99 meanwhile against the same probe idle, in one run.
// Expired sessions are added first (INSERT … SELECT, as bench/data.ts makes them) until 200,000 wait.
// Run: npm run bench:sweep   (after npm run bench:data; BENCH_SWEEP_SESSIONS=20000 for a quick run)
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { REVOKED_BATCH_MAX, SessionsSubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { Client } from 'pg';
import { gatehouseToken } from './token-check';
import { benchDatabaseUrl } from './support/data-set';
import { sessionsConfigSchema } from '../apps/sessions/src/config';
import { probeLatency, ratio, settle, startGatehouse, writeResults } from './support/harness';
import type { ProbeFigures } from './support/latency-probe';

const EXPIRED = Number(process.env.BENCH_SWEEP_SESSIONS ?? '200000');
const WINDOW_SECONDS = 5;
/**
 * Idle is measured in windows of the same length as the sweep's, the median window's p99 taken: the same
 * sample size per p99 on both sides, and one window disturbed by the machine's other work does not set the
 * baseline. (Each window's probe also opens its connections untimed: their opening was ~1 % of a 5 s window,
 * exactly its p99, and made even a sweep of no sessions look ~2× a 10 s idle run.)
 */
const IDLE_WINDOWS = 3;
/** The services' settings for this run (BENCH_SERVICE_ENV, as bench/support/gatehouse-server.ts reads it). */
const serviceEnv = JSON.parse(process.env.BENCH_SERVICE_ENV ?? '{}') as Record<string, string>;

/** CPU seconds (user + system, all threads) of the processes `pick` selects from /proc, by name (Linux). */
function cpuSeconds(pick: (pid: number, cmdline: string) => string | undefined): Record<string, number> {
  const machine = machineCpuSeconds();
  const totals: Record<string, number> = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const name = pick(Number(entry), cmdline);
      if (!name) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on: utime is the 14th
      totals[name] = (totals[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  // the machine's other work (other benchmarks, builds): a figure well above 0 marks a disturbed run
  totals.otherProcesses = Object.values(totals).reduce((rest, seconds) => rest - seconds, machine);
  return totals;
}

/** CPU seconds the whole machine has spent busy (/proc/stat, all cores). */
function machineCpuSeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** CPU seconds per second of wall time between two cpuSeconds readings. */
const perSecond = (before: Record<string, number>, after: Record<string, number>, seconds: number): Record<string, number> =>
  Object.fromEntries(Object.keys(after).map((name) => [name, (after[name] - (before[name] ?? 0)) / seconds]));

const countExpired = async (db: Client): Promise<number> =>
  Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM sessions."Session" WHERE "expiresAt" <= now()`)).rows[0].n);

async function insertExpired(db: Client, count: number): Promise<void> {
  for (let done = 0; done < count; done += 50_000) {
    const batch = Math.min(50_000, count - done);
    await db.query(`
      WITH u AS (SELECT id, domain, username, admin, row_number() OVER () - 1 AS n FROM (SELECT * FROM directory."User" LIMIT 1000) x)
      INSERT INTO sessions."Session" (id, "userId", domain, username, admin, external, "passwordHash", "deviceName", "devicePlatform",
        application, ip, "createdAt", "lastUsedAt", "expiresAt")
      SELECT gen_random_uuid(), u.id, u.domain, u.username, u.admin, false, encode(sha256(('sweep' || s || clock_timestamp())::bytea), 'hex'),
        'Device ' || s, 'web', 'refreshable', '10.0.0.1', now() - interval '3 days', now() - interval '2 days', now() - (s % 86400 || ' seconds')::interval
      FROM generate_series(1, ${batch}) AS s JOIN u ON u.n = s % (SELECT count(*) FROM u)`);
    process.stdout.write(`\rexpired sessions added: ${done + batch} / ${count}   `);
  }
  if (count > 0) process.stdout.write('\n');
}

/** Expired sessions held back from a quick run: set far ahead, so that restoreShape can find them again. */
const PARKED = `now() + interval '100 years'`;

/** Exactly EXPIRED sessions waiting: more are added, a surplus (a quick run) is parked. */
async function prepareExpired(db: Client): Promise<number> {
  const expired = await countExpired(db);
  if (expired < EXPIRED) await insertExpired(db, EXPIRED - expired);
  if (expired > EXPIRED) {
    await db.query(
      `UPDATE sessions."Session" SET "expiresAt" = ${PARKED}
       WHERE id IN (SELECT id FROM sessions."Session" WHERE "expiresAt" <= now() LIMIT ${expired - EXPIRED})`,
    );
  }
  return countExpired(db);
}

/** The filled database's shape again for the next benchmark: the parked sessions expired again, the swept ones replaced. */
async function restoreShape(db: Client, swept: number): Promise<void> {
  await db.query(`UPDATE sessions."Session" SET "expiresAt" = now() - interval '1 hour' WHERE "expiresAt" > now() + interval '50 years'`);
  await insertExpired(db, swept);
}

/** Announcements the warm-up sends (BENCH_SWEEP_WARM_ANNOUNCEMENTS; 0: none). */
const WARM_ANNOUNCEMENTS = Number(process.env.BENCH_SWEEP_WARM_ANNOUNCEMENTS ?? '100');

/**
 * A running installation has heard session ends before its first big sweep (logouts, each interval's sweep);
 * the benchmark's system was started a minute ago and has not. Its listeners (the gateway's, auth's,
 * directory's) hear WARM_ANNOUNCEMENTS announcements of sessions that do not exist first, paced as a sweep
 * sends them, so that the sweep is measured against warm code, as the idle windows are.
 */
async function warmSessionEndListeners(natsUrl: string): Promise<void> {
  if (WARM_ANNOUNCEMENTS <= 0) return;
  const nats = new NatsClient(natsUrl, 'bench-sweep-warm-up', 5000);
  try {
    for (let i = 0; i < WARM_ANNOUNCEMENTS; i++) {
      const sessions = Array.from({ length: REVOKED_BATCH_MAX }, () => ({
        sessionId: randomUUID(),
        userId: randomUUID(),
        external: false,
      }));
      await nats.emit(SessionsSubjects.revokedBatch, { reason: 'expired', sessions });
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  } finally {
    await nats.close();
  }
}

/** The sweep's settings in this run: BENCH_SERVICE_ENV's, or the services' defaults. */
function sweepSettings(): Record<string, number> {
  const keys = ['SESSIONS_SWEEP_BATCH_SIZE', 'SESSIONS_SWEEP_PAUSE_PERCENT', 'SESSIONS_SWEEP_WARMUP_MS'] as const;
  return Object.fromEntries(keys.map((key) => [key, sessionsConfigSchema.shape[key].parse(serviceEnv[key])]));
}

async function main() {
  const db = new Client({ connectionString: benchDatabaseUrl() });
  await db.connect();
  const waiting = await prepareExpired(db);
  await db.query('VACUUM ANALYZE sessions."Session"');
  const gatehouse = await startGatehouse({ filled: true });
  try {
    const token = await gatehouseToken(gatehouse.url, gatehouse.user);
    const check = {
      url: `${gatehouse.url}/api/v1/auth/check`,
      headers: { authorization: `Bearer ${token}` },
      connections: 10,
      ratePerSecond: 200,
    };
    await probeLatency({ ...check, seconds: 3 });
    await warmSessionEndListeners(gatehouse.env!.NATS_URL);
    const settled = await settle(gatehouse);
    // Who spends the CPU while the sweep runs: CPU time survives a shared machine better than wall time.
    const natsPort = new URL(gatehouse.env!.NATS_URL).port;
    const pick = (pid: number, cmdline: string): string | undefined => {
      if (pid === gatehouse.services.pid) return 'services';
      if (pid === gatehouse.gateway.pid) return 'gateway';
      if (cmdline.startsWith('postgres: ') && cmdline.includes(' gatehouse_bench ')) return 'postgresBackends';
      if (cmdline.startsWith('postgres: ') && cmdline.includes('autovacuum')) return 'postgresAutovacuum';
      if (cmdline.startsWith('postgres: ') && /(walwriter|checkpointer|background writer)/.test(cmdline)) return 'postgresWalAndCheckpoint';
      if (cmdline.includes('nats-server') && cmdline.includes(`-p ${natsPort}`)) return 'nats';
      if (cmdline.includes('redis-server')) return 'redis';
      if (cmdline.includes('bench/support/latency-probe.ts')) return 'probe';
      return undefined;
    };
    // The same CPU with the probe alone: what the processes spend per second without a sweep (mostly the gateway's checks).
    const idleCpuBefore = cpuSeconds(pick);
    const idleStarted = performance.now();
    const idleWindows: ProbeFigures[] = [];
    for (let i = 0; i < IDLE_WINDOWS; i++) idleWindows.push(await probeLatency({ ...check, seconds: WINDOW_SECONDS }));
    const idle = [...idleWindows].sort((a, b) => a.p99Ms - b.p99Ms)[Math.floor(IDLE_WINDOWS / 2)];
    const idleCpuPerSecond = perSecond(idleCpuBefore, cpuSeconds(pick), (performance.now() - idleStarted) / 1000);

    // BENCH_LOG_LEVEL set: the services' log lines go to stderr (what failed during the sweep).
    if (process.env.BENCH_LOG_LEVEL)
      gatehouse.services.onLine!((line) => line.startsWith('{"level"') && console.error(line.slice(0, 2000)));
    const result = new Promise<{ ms: number; failures: string[] }>((resolve) =>
      gatehouse.services.onLine!((line) => {
        if (line.startsWith('{"swept"')) resolve(JSON.parse(line) as { ms: number; failures: string[] });
      }),
    );
    let done = false;
    void result.finally(() => (done = true)).catch(() => undefined);
    const cpuBefore = cpuSeconds(pick);
    const sweepStarted = performance.now();
    process.kill(gatehouse.services.pid!, 'SIGUSR2');
    const windows: ProbeFigures[] = [];
    while (!done) {
      windows.push(await probeLatency({ ...check, seconds: WINDOW_SECONDS }));
      process.stdout.write(`\rsweeping: ${windows.length * WINDOW_SECONDS} s, last window p99 ${windows.at(-1)!.p99Ms} ms   `);
    }
    process.stdout.write('\n');
    const sweep = await result;
    const cpuAfter = cpuSeconds(pick);
    const cpuWallSeconds = (performance.now() - sweepStarted) / 1000;
    const left = await countExpired(db);
    // CPU ms per 1,000 sessions swept, `minus` CPU seconds per second (the idle probe's) taken off first
    const per1000 = (minus: Record<string, number> = {}) =>
      Object.fromEntries(
        Object.keys(cpuAfter)
          .filter((name) => name !== 'probe')
          .map((name) => [
            name,
            Math.round(
              ((cpuAfter[name] - (cpuBefore[name] ?? 0) - (minus[name] ?? 0) * cpuWallSeconds) * 1e6) / Math.max(1, waiting - left),
            ),
          ]),
      );
    const worst = windows.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
    const sortedP99 = windows.map((w) => w.p99Ms).sort((a, b) => a - b);
    const summary = {
      expiredWaiting: waiting,
      swept: waiting - left,
      leftExpired: left,
      sweepSeconds: +(sweep.ms / 1000).toFixed(1),
      sessionsPerSecond: Math.round((waiting - left) / (sweep.ms / 1000)),
      // attempts that failed and were run again (ExpirySweeper: a batch's transaction past Prisma's 5 s limit, say)
      failedAttempts: sweep.failures,
      // the sweep's batch and pacing (defaults unless BENCH_SERVICE_ENV='{"SESSIONS_SWEEP_PAUSE_PERCENT":"0"}', say)
      sweepSettings: sweepSettings(),
      // before the idle windows: the gateway's first full collection made, the memory reducer's waited for, every process quiet (settle)
      settled,
      // CPU seconds per process from the signal to the end (the probe included), and per 1,000 sessions swept
      cpuSecondsDuringSweep: Object.fromEntries(
        Object.keys(cpuAfter).map((name) => [name, +(cpuAfter[name] - (cpuBefore[name] ?? 0)).toFixed(2)]),
      ),
      cpuMsPer1000Sessions: per1000(),
      // the same less what the idle probe costs in as many seconds: the sweep's own share
      cpuMsPer1000SessionsBeyondIdle: per1000(idleCpuPerSecond),
      idleCpuSecondsPerSecond: Object.fromEntries(Object.entries(idleCpuPerSecond).map(([name, s]) => [name, +s.toFixed(3)])),
      // the median idle window, and each idle window's p99
      tokenCheckIdle: idle,
      idleP99MsPerWindow: idleWindows.map((w) => w.p99Ms),
      tokenCheckDuringSweep: {
        windows: windows.length,
        windowSeconds: WINDOW_SECONDS,
        medianWindowP99Ms: sortedP99[Math.floor(sortedP99.length / 2)],
        p99MsPerWindow: windows.map((w) => w.p99Ms),
        worstWindow: worst,
        errors: windows.reduce((n, w) => n + w.errors + w.non2xx, 0),
      },
      worstP99VsIdle: ratio(worst.p99Ms, idle.p99Ms),
      targets: { worstP99VsIdle: '<= 2' },
    };
    console.log(JSON.stringify(summary, null, 2));
    writeResults('sweep', summary);
    await restoreShape(db, waiting - left);
  } finally {
    await gatehouse.stop();
    await db.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
