// Gatehouse for the benchmarks, as deployed: the services in one process, the gateway in another
// (BENCH_ROLE=services|gateway), on a fresh database with one user.
import 'reflect-metadata';
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

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench password that is long enough';
/** The hashing cost both the services and the raw measurement use: auth's default. */
export const BENCH_ARGON2 = ARGON2_DEFAULT;

const silent = (service: string) => ({ logger: createLogger({ service, level: 'silent' }) });

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
  const { user } = await nats.send('directory.user.create', { domain: 'example.com', username: BENCH_USER });
  await nats.send('auth.password.set', { userId: user.id, password: BENCH_PASSWORD });
  await nats.close();
  process.on('SIGTERM', () => {
    void Promise.all(apps.map((app) => app.close()))
      .then(() => testEnv.cleanup())
      .then(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ ready: true, url: '', env })}\n`);
}

async function gateway() {
  const env = JSON.parse(process.env.BENCH_ENV!) as Record<string, string>;
  const app = await bootstrapGateway(loadGatewayConfig(env), silent('gateway'));
  const address = app.getHttpServer().address();
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${address.port}` })}\n`);
}

if (require.main === module) void (process.env.BENCH_ROLE === 'gateway' ? gateway() : services());
