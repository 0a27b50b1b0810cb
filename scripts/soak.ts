// npm run soak: the one-process system (tools/standalone/start-all.ts, compiled as `npm start` runs it) under mixed
// traffic for SOAK_MINUTES (10), while its PostgreSQL, Redis and NATS are each restarted once. It counts,
// and fails on: a lost approval, home-screen write or mail, an error outside the restart windows, a process of
// ours restarted (it is one process: its pid and that it never exited), and resident memory growing past
// SOAK_MEMORY_BOUND_MIB (150) over what it used after the warm-up.
//
// The peers are private: a PostgreSQL cluster (initdb), a Redis with an append-only file and a
// nats-server of this run on free ports, so that restarting them disturbs nothing else on the machine.
// Traffic: password logins, token checks, challenge-responses (new access tokens), home-screen writes,
// WebSocket churn, remote logouts (the logged-out token must fail at once) and mails into an SMTP sink.
// Two-factor approval is switched on and off every SOAK_TWO_FACTOR_SECONDS (60): while it is on, every
// login waits; the user's first device (kept out of the remote logouts) accepts it, and the waiting login
// must then collect its session (an accepted approval that never yields one is lost). Writes bench/results/soak.json.
// Run: npm run soak   (SOAK_MINUTES=2 for a short one). Not part of npm test.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { AuthSettingsSubjects, WS_PATH } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { SmtpSink, createTestEnv, freePort, portOpen } from '@gatehouse/testing';
import { compiled, rssBytes, writeResults } from '../bench/support/harness';

const MINUTES = Number(process.env.SOAK_MINUTES ?? '10');
const RECOVERY_SECONDS = Number(process.env.SOAK_RECOVERY_SECONDS ?? '20');
const MEMORY_BOUND_MIB = Number(process.env.SOAK_MEMORY_BOUND_MIB ?? '150');
const TWO_FACTOR_SECONDS = Number(process.env.SOAK_TWO_FACTOR_SECONDS ?? '60');
/** How long an accepted login may take to collect its session (restarts included) before it counts as lost. */
const COLLECT_DEADLINE_MS = 90_000;
const USERS = 12;
const PASSWORD = 'soak password that is long enough';
const root = join(__dirname, '..');
const pgBin = (name: string) => `/usr/lib/postgresql/15/bin/${name}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** PostgreSQL of this run, in a temporary directory (as the postgres user: initdb refuses root). */
class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}
  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'soak-pg-'));
    chmodSync(dir, 0o777);
    const pg = new PrivatePostgres(dir, await freePort());
    pg.asPostgres(pgBin('initdb'), ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    pg.ctl('start');
    return pg;
  }
  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }
  restart(): void {
    this.ctl('restart');
  }
  stop(): void {
    this.ctl('stop');
    rmSync(this.dir, { recursive: true, force: true });
  }
  private ctl(action: string) {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    this.asPostgres(pgBin('pg_ctl'), ['-D', `${this.dir}/data`, '-o', options, '-l', `${this.dir}/log`, '-m', 'fast', '-w', action]);
  }
  private asPostgres(binary: string, args: string[]) {
    const asRoot = process.getuid?.() === 0;
    execFileSync(asRoot ? 'runuser' : binary, asRoot ? ['-u', 'postgres', '--', binary, ...args] : args, { stdio: 'ignore' });
  }
}

/** Redis of this run; its append-only file keeps the data (the mail queue) across the restart, as a deployment's would. */
class PrivateRedis {
  private child?: ChildProcess;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(mkdtempSync(join(tmpdir(), 'soak-redis-')), await freePort());
    await redis.resume();
    return redis;
  }
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async resume(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', ''],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      if (await portOpen('127.0.0.1', this.port, 200)) return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
  }
}

interface Op {
  kind: string;
  start: number;
  end: number;
  ok: boolean;
  error?: string;
}
const ops: Op[] = [];
async function op<T>(kind: string, fn: () => Promise<T>): Promise<T | undefined> {
  const start = Date.now();
  try {
    const value = await fn();
    ops.push({ kind, start, end: Date.now(), ok: true });
    return value;
  } catch (error) {
    ops.push({ kind, start, end: Date.now(), ok: false, error: String(error).slice(0, 200) });
    return undefined;
  }
}

async function http(base: string, method: string, path: string, body?: unknown, token?: string): Promise<any> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      // `Pending <pollToken>` for a waiting login's poll; anything else is an access token.
      ...(token ? { authorization: token.startsWith('Pending ') ? token : `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 120)}`);
  return text ? JSON.parse(text) : undefined;
}

interface Live {
  user: string;
  sessionId: string;
  sessionPassword: string;
  token: string;
  /** Logged out remotely: a check of its token already on its way may meet the revocation (a 401 is then expected). */
  ended?: boolean;
}

async function main() {
  const runId = Date.now();
  console.log(`soak: ${MINUTES} min; starting private PostgreSQL, Redis and NATS …`);
  const pg = await PrivatePostgres.start();
  const redis = await PrivateRedis.start();
  process.env.TEST_DATABASE_URL = pg.url;
  process.env.TEST_REDIS_URL = redis.url;
  delete process.env.GATEHOUSE_TEST_SERVERS;
  const sink = await SmtpSink.start();
  const testEnv = await createTestEnv({ LOG_LEVEL: 'error', NATS_REQUEST_TIMEOUT_MS: '5000' });
  const nats = testEnv.nats!;
  const port = await freePort();
  const system = spawn(process.execPath, [compiled('tools/standalone/start-all.ts')], {
    cwd: root,
    // Every login may wait for approval: the per-account limit of approval requests is lifted for the run.
    env: { ...process.env, ...testEnv.env, PORT: String(port), METRICS_PORT: '0', APPROVAL_RATE_LIMIT: '10000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = system.pid!;
  let systemExited: number | null = null;
  system.once('exit', (code) => (systemExited = code ?? -1));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (systemExited !== null) throw new Error('the system exited at start');
    if (
      await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(200);
  }
  const client = new NatsClient(nats.url, 'soak', 15_000);
  await client.send('mailer.config.set', {
    actor: { kind: 'system', service: 'soak' },
    config: sink.mailerConfig({ verificationLink: 'https://login.gatehouse.test/api/v1' }),
  });
  const users: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const username = `soak${i}`;
    const { user } = await client.send('directory.user.create', { domain: 'example.com', username, email: `soak${i}@example.test` });
    await client.send('auth.password.set', { userId: user.id, password: PASSWORD });
    users.push(username);
  }
  // The clock starts once the system is up: set-up (initdb, migrations, the first compile) takes a minute or two here.
  const started = Date.now();
  const endAt = started + MINUTES * 60_000;
  console.log(`system ready (pid ${pid}); traffic until ${new Date(endAt).toISOString()}`);

  // Restarts at a quarter, half and three quarters of the run; each window runs to RECOVERY_SECONDS after it.
  const windows: { peer: string; from: number; to: number }[] = [];
  const restarts: [string, () => Promise<void>][] = [
    ['postgres', async () => pg.restart()],
    ['redis', async () => (await redis.stop(), await redis.resume())],
    ['nats', async () => (await nats.stop(), await sleep(1000), await nats.resume())],
  ];
  const restarting = (async () => {
    for (const [i, [peer, restart]] of restarts.entries()) {
      await sleep(started + ((i + 1) * (endAt - started)) / 4 - Date.now());
      const from = Date.now();
      console.log(`restarting ${peer} …`);
      await restart();
      windows.push({ peer, from, to: Date.now() + RECOVERY_SECONDS * 1000 });
      console.log(`${peer} back after ${((Date.now() - from) / 1000).toFixed(1)} s`);
    }
  })();

  const memory: { t: number; rss: number }[] = [];
  const sampling = (async () => {
    while (Date.now() < endAt) {
      if (systemExited === null) memory.push({ t: Date.now(), rss: rssBytes(pid) });
      await sleep(5000);
    }
  })();

  const live: Live[] = [];
  const lastWrite = new Map<string, { raw: string; token: string }>();
  const mailsAcked: string[] = [];
  const loggedOut: string[] = [];
  const refusedAs = { unauthenticated: 0, throttled: 0 };
  let counter = 0;
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
  const approvers = new Map<string, Live>();
  const approvals = { waited: 0, accepted: 0, collected: 0, lost: [] as string[] };
  /**
   * A request with a session the remote-logout loop may end meanwhile (it picks from the same live list): a 401
   * for a session ended while its request was under way is the right answer, not an error (undefined: not done).
   */
  const unlessEnded = <T>(s: Live, request: () => Promise<T>): Promise<T | undefined> =>
    request().catch((error: unknown) => {
      if (s.ended && String(error).includes(': 401')) return undefined;
      throw error;
    });
  const mintFor = async (s: Live) => {
    const { nonce } = await http(base, 'POST', `/auth/sessions/${s.sessionId}/challenge`, {});
    const key = createHash('sha256').update(s.sessionPassword).digest();
    const proof = createHmac('sha256', key).update(nonce).digest('hex');
    s.token = (await http(base, 'POST', `/auth/sessions/${s.sessionId}/token`, { nonce, proof })).accessToken;
  };
  /** A waiting login: the user's first device accepts it, then the login collects its session (polling through restarts). */
  const approve = async (user: string, pending: { pendingId: string; pollToken: string }) => {
    approvals.waited++;
    const approver = approvers.get(user)!;
    const accepted = await op('approval-accept', async () => {
      const accept = () => http(base, 'POST', `/me/approvals/${pending.pendingId}`, { decision: 'accept' }, approver.token);
      await accept().catch(async (error: unknown) => {
        if (!String(error).includes(': 401')) throw error;
        await mintFor(approver); // the approver's access token ran out: a new one from its session
        await accept();
      });
      return true;
    });
    if (!accepted) return undefined;
    approvals.accepted++;
    const deadline = Date.now() + COLLECT_DEADLINE_MS;
    while (Date.now() < deadline) {
      const r = await op('approval-collect', () =>
        http(base, 'GET', `/auth/login/pending/${pending.pendingId}`, undefined, `Pending ${pending.pollToken}`),
      );
      if (r?.status === 'approved' && r.session) {
        approvals.collected++;
        return r;
      }
      if (r && r.status !== 'pending' && r.status !== 'approved') break; // rejected, expired, cancelled: lost
      if (r?.status === 'approved') break; // approved, but the session was handed to nobody: lost
      await sleep(r ? 200 : 1000);
    }
    approvals.lost.push(`${user}: ${pending.pendingId}`);
    return undefined;
  };
  const login = (user: string) =>
    op('login', async () => {
      let r = await http(base, 'POST', '/auth/login', {
        username: user,
        password: PASSWORD,
        device: { name: 'soak', platform: 'node' },
        application: 'longLogin',
      });
      if (r.status === 'pending') r = await approve(user, r);
      if (!r) return undefined; // counted by the approval's own operations
      const session: Live = { user, sessionId: r.session.id, sessionPassword: r.session.password, token: r.accessToken };
      live.push(session);
      if (live.length > 60) live.shift();
      return session;
    });
  const loop = async (pauseMs: number, body: () => Promise<unknown>) => {
    while (Date.now() < endAt) {
      await body();
      await sleep(pauseMs);
    }
  };
  for (const user of users) {
    const first = await login(user);
    if (!first) throw new Error(`the first login of ${user} failed`);
    live.splice(live.indexOf(first), 1);
    approvers.set(user, first); // approves the user's later logins; never logged out remotely
  }
  let twoFactor = false;
  await Promise.all([
    restarting,
    sampling,
    loop(TWO_FACTOR_SECONDS * 1000, async () => {
      const want = !twoFactor;
      const done = await op('two-factor-switch', () =>
        client.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'soak' }, twoFactor: want }),
      );
      if (done) twoFactor = want;
    }),
    loop(400, () => login(pick(users))),
    ...Array.from({ length: 3 }, () =>
      loop(20, async () => {
        if (!live.length) return sleep(100);
        const s = pick(live);
        await op('token-check', () => unlessEnded(s, () => http(base, 'GET', '/auth/check', undefined, s.token)));
      }),
    ),
    loop(300, async () => {
      const s = live.length ? pick(live) : undefined;
      if (!s) return;
      await op('challenge-response', () => unlessEnded(s, () => mintFor(s)));
    }),
    loop(250, async () => {
      const s = live.length ? pick(live) : undefined;
      if (!s) return;
      const raw = `:Soak ${++counter}`; // a group of its own name: stored as written
      const done = await op('homescreen-write', () => unlessEnded(s, () => http(base, 'PUT', '/me/homescreen', { raw }, s.token)));
      if (done !== undefined) lastWrite.set(s.user, { raw, token: s.token });
    }),
    loop(500, () =>
      live.length
        ? op('socket', async () => {
            const s = pick(live);
            const ws = new WebSocket(`${base.replace('http', 'ws')}${WS_PATH}`);
            await new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error('socket: no ready within 10 s')), 10_000);
              ws.on('error', reject);
              ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', accessToken: s.token })));
              ws.on('message', (data) => {
                const { type } = JSON.parse(data.toString()) as { type: string };
                if (type === 'ready') {
                  clearTimeout(timer);
                  resolve();
                }
                if (type === 'error') reject(new Error(data.toString()));
              });
            });
            await sleep(1000);
            ws.close();
          })
        : sleep(100),
    ),
    loop(3000, async () => {
      const mine = live.length > 20 ? live[0] : undefined;
      if (!mine) return;
      const other = live.find((s) => s.user === mine.user && s !== mine);
      if (!other) return;
      await op('remote-logout', async () => {
        other.ended = true;
        live.splice(live.indexOf(other), 1);
        await http(base, 'DELETE', `/me/sessions/${other.sessionId}`, undefined, mine.token);
        // Refused at once: 401, or 429 once this address has shown more unknown tokens than the guess throttle lets
        // through (every logged-out token checked here counts as one, all from 127.0.0.1); a live token is never 429.
        const check = await fetch(`${base}/api/v1/auth/check`, { headers: { authorization: `Bearer ${other.token}` } });
        if (check.status !== 401 && check.status !== 429) throw new Error(`the logged-out session's token still answers ${check.status}`);
        refusedAs[check.status === 401 ? 'unauthenticated' : 'throttled']++;
        loggedOut.push(other.sessionId);
      });
    }),
    loop(700, async () => {
      const n = ++counter;
      const ok = await op('mail', () =>
        client.send('mailer.mail.send', {
          kind: 'newDevice',
          to: `mail${n}@example.test`,
          language: 'en',
          data: { displayName: 'Soak', device: 'node', ip: '192.0.2.1', time: new Date().toISOString() },
          idempotencyKey: `soak-${runId}-${n}`,
        }),
      );
      if (ok) mailsAcked.push(`mail${n}@example.test`);
    }),
  ]);

  // Afterwards: every acknowledged write is there, every acknowledged mail arrives.
  const lostWrites: string[] = [];
  for (const [user, { raw, token }] of lastWrite) {
    const ok = await op('final-read', async () => {
      const r = await http(base, 'GET', '/me/homescreen', undefined, token).catch(async () => {
        const fresh = await login(user);
        return http(base, 'GET', '/me/homescreen', undefined, fresh!.token);
      });
      if (r.raw !== raw) lostWrites.push(`${user}: ${raw} (has ${r.raw})`);
      return true;
    });
    if (ok === undefined) lostWrites.push(`${user}: unreadable`);
  }
  const mailDeadline = Date.now() + 120_000;
  const arrived = () => new Set(sink.messages.flatMap((m) => m.to));
  while (mailsAcked.some((to) => !arrived().has(to)) && Date.now() < mailDeadline) await sleep(500);
  const got = arrived();
  const lostMails = mailsAcked.filter((to) => !got.has(to));
  const rssEnd = systemExited === null ? rssBytes(pid) : 0;
  const restartedOrExited = systemExited !== null;

  const excused = (o: Op) => windows.some((w) => o.end >= w.from && o.start <= w.to);
  const failures = ops.filter((o) => !o.ok);
  const outside = failures.filter((o) => !excused(o));
  const warm = memory.filter((m) => m.t >= started + (endAt - started) * 0.1).slice(0, 3);
  const baseline = warm.length ? Math.max(...warm.map((m) => m.rss)) : (memory[0]?.rss ?? 0);
  const tail = memory.slice(-3).map((m) => m.rss);
  const endRss = tail.length ? tail.sort((a, b) => a - b)[Math.floor(tail.length / 2)] : rssEnd;
  const growthMiB = +((endRss - baseline) / 2 ** 20).toFixed(1);
  const byKind = Object.fromEntries(
    [...new Set(ops.map((o) => o.kind))].map((kind) => {
      const mine = ops.filter((o) => o.kind === kind);
      return [
        kind,
        {
          total: mine.length,
          failed: mine.filter((o) => !o.ok).length,
          failedOutsideRestarts: mine.filter((o) => !o.ok && !excused(o)).length,
        },
      ];
    }),
  );
  const summary = {
    minutes: MINUTES,
    restarts: windows.map((w) => ({ peer: w.peer, at: new Date(w.from).toISOString(), windowSeconds: Math.round((w.to - w.from) / 1000) })),
    operations: byKind,
    lostHomeScreenWrites: lostWrites,
    mails: { acknowledged: mailsAcked.length, arrived: mailsAcked.length - lostMails.length, lost: lostMails.length },
    approvals: { ...approvals, lost: approvals.lost.length, lostLogins: approvals.lost.slice(0, 20) },
    remoteLogoutsVerified: loggedOut.length,
    loggedOutTokenRefusedAs: refusedAs,
    errorsOutsideRestarts: outside.slice(0, 20).map((o) => ({ kind: o.kind, at: new Date(o.start).toISOString(), error: o.error })),
    processRestartedOrExited: restartedOrExited,
    memory: {
      baselineMiB: +(baseline / 2 ** 20).toFixed(1),
      endMiB: +(endRss / 2 ** 20).toFixed(1),
      growthMiB,
      boundMiB: MEMORY_BOUND_MIB,
      samples: memory.length,
    },
  };
  const passed =
    lostWrites.length === 0 &&
    lostMails.length === 0 &&
    approvals.lost.length === 0 &&
    approvals.waited > 0 &&
    outside.length === 0 &&
    !restartedOrExited &&
    growthMiB <= MEMORY_BOUND_MIB;
  console.log(JSON.stringify({ passed, ...summary }, null, 2));
  writeResults('soak', { passed, ...summary });

  await client.close();
  await new Promise<void>((done) => {
    if (system.exitCode !== null) return done();
    system.once('exit', () => done());
    system.kill('SIGTERM');
    setTimeout(() => system.kill('SIGKILL'), 15_000).unref();
  });
  await testEnv.cleanup().catch(() => undefined);
  await sink.stop();
  await redis.stop();
  rmSync(redis.dir, { recursive: true, force: true });
  pg.stop();
  process.exit(passed ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
