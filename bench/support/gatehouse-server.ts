// Gatehouse for the benchmarks, as deployed: the services in one process, the gateway in another
// (BENCH_ROLE=services|gateway), on a fresh database with one user.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { AuthSubjects, DirectorySubjects } from '@gatehouse/contracts';
import { ARGON2_DEFAULT } from '@gatehouse/crypto';
import { NatsClient, createLogger } from '@gatehouse/platform';
import { createTestEnv } from '@gatehouse/testing';
import { bootstrapAuth } from '../../apps/auth/src/bootstrap';
import { loadAuthConfig } from '../../apps/auth/src/config';
import { bootstrapDirectory } from '../../apps/directory/src/bootstrap';
import { loadDirectoryConfig } from '../../apps/directory/src/config';
import { bootstrapFederation } from '../../apps/federation/src/bootstrap';
import { loadFederationConfig } from '../../apps/federation/src/config';
import { bootstrapGateway } from '../../apps/gateway/src/bootstrap';
import { loadGatewayConfig } from '../../apps/gateway/src/config';
import { bootstrapMailer } from '../../apps/mailer/src/bootstrap';
import { loadMailerConfig } from '../../apps/mailer/src/config';
import { bootstrapSessions } from '../../apps/sessions/src/bootstrap';
import { loadSessionsConfig } from '../../apps/sessions/src/config';
import { ExpirySweeper } from '../../apps/sessions/src/sweep/expiry-sweeper.service';
import { BENCH_DATA, benchDatabaseUrl } from './data-set';
import { collectGarbage } from './gc';

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench password that is long enough';
/** The hashing cost both the services and the raw measurement use: auth's default. */
export const BENCH_ARGON2 = ARGON2_DEFAULT;

// BENCH_LOG_LEVEL (say warn): the servers' logs on stdout, to see what fails during a run.
const silent = (service: string) => ({
  logger: createLogger({ service, level: (process.env.BENCH_LOG_LEVEL ?? 'silent') as 'silent' }),
});

/**
 * BENCH_FILLED=1: on the database of bench/data.ts (and its Redis prefix), with the expiry sweep held off
 * (bench/sweep.ts sets BENCH_SWEEP_INTERVAL_MS); the bench user gets a name of its own there.
 * BENCH_SERVICE_ENV: more settings as JSON.
 */
function benchOverrides(): Record<string, string> {
  const filled = process.env.BENCH_FILLED === '1';
  return {
    ...(filled ? { DATABASE_URL: benchDatabaseUrl(), REDIS_PREFIX: BENCH_DATA.redisPrefix } : {}),
    SESSIONS_SWEEP_INTERVAL_MS: process.env.BENCH_SWEEP_INTERVAL_MS ?? '3600000',
    ...(JSON.parse(process.env.BENCH_SERVICE_ENV ?? '{}') as Record<string, string>),
  };
}

async function services() {
  const testEnv = await createTestEnv({
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '10',
    // as deployed: the production hashing cost, not the test floor
    ARGON2_MEMORY_KIB: String(BENCH_ARGON2.memoryKiB),
    ARGON2_PASSES: String(BENCH_ARGON2.passes),
    // OPAQUE records as deployed (the library's memory-constrained profile), not the test floor (bench/opaque-login.ts)
    OPAQUE_STRETCH_MEMORY_KIB: '65536',
    OPAQUE_STRETCH_ITERATIONS: '3',
    OPAQUE_STRETCH_PARALLELISM: '4',
    THROTTLE_LOGIN_FREE_ATTEMPTS: '100000',
    THROTTLE_ADDRESS_FREE_ATTEMPTS: '100000',
    ...benchOverrides(),
  });
  const env = testEnv.env;
  const apps = await Promise.all([
    bootstrapAuth(loadAuthConfig(env), silent('auth')),
    bootstrapSessions(loadSessionsConfig(env), silent('sessions')),
    bootstrapDirectory(loadDirectoryConfig(env), silent('directory')),
    bootstrapFederation(loadFederationConfig(env), silent('federation')),
    bootstrapMailer(loadMailerConfig(env), silent('mailer')),
  ]);
  const nats = new NatsClient(env.NATS_URL!, 'bench', 60_000);
  const username = process.env.BENCH_FILLED === '1' ? `${BENCH_USER}-${randomBytes(4).toString('hex')}` : BENCH_USER;
  // On the filled database the bench user is the domain's administrator (bench/admin.ts searches its 50,000 users).
  const { user } = await nats.send(DirectorySubjects.userCreate, {
    domain: 'example.com',
    username,
    admin: process.env.BENCH_FILLED === '1',
  });
  await nats.send(AuthSubjects.passwordSet, { userId: user.id, password: BENCH_PASSWORD });
  await nats.close();
  // bench/sweep.ts: SIGUSR2 runs the expiry sweep now, again after a failed attempt (as the next interval
  // would), and prints how long it took and how many attempts failed.
  process.on('SIGUSR2', () => {
    const started = performance.now();
    const sweeper = apps[1].get(ExpirySweeper, { strict: false });
    const failures: string[] = [];
    void (async () => {
      for (;;) {
        try {
          await sweeper.sweep();
          break;
        } catch (error) {
          failures.push(String(error).slice(0, 300));
          if (failures.length >= 20) break;
        }
      }
      process.stdout.write(`${JSON.stringify({ swept: true, ms: Math.round(performance.now() - started), failures })}\n`);
    })();
  });
  process.on('SIGTERM', () => {
    void Promise.all(apps.map((app) => app.close()))
      .then(() => testEnv.cleanup())
      .then(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ ready: true, url: '', env, user: username })}\n`);
}

async function gateway() {
  const env = JSON.parse(process.env.BENCH_ENV!) as Record<string, string>;
  const app = await bootstrapGateway(loadGatewayConfig(env), silent('gateway'));
  const address = app.getHttpServer().address();
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  // bench/ws.ts: SIGUSR2 collects the garbage and prints the gateway's memory (`{ memory }`), so a figure per
  // socket is what the sockets hold, not garbage not yet collected; BENCH_HEAP_SNAPSHOTS=<dir> writes a snapshot too.
  process.on('SIGUSR2', () => {
    collectGarbage();
    const snapshot = process.env.BENCH_HEAP_SNAPSHOTS
      ? writeHeapSnapshot(join(process.env.BENCH_HEAP_SNAPSHOTS, `gateway-${Date.now()}.heapsnapshot`))
      : undefined;
    process.stdout.write(`${JSON.stringify({ memory: { ...process.memoryUsage(), ...(snapshot ? { snapshot } : {}) } })}\n`);
  });
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${address.port}` })}\n`);
}

if (require.main === module) void (process.env.BENCH_ROLE === 'gateway' ? gateway() : services());
