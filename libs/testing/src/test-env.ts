import { randomBytes } from 'node:crypto';
import type { Env } from '@gatehouse/config';
import { createTestDatabase, prepareTemplate } from './databases';
import { PrivateNats } from './nats-server';
import { testServers } from './servers';

export interface TestEnv {
  /** Environment for the services of this file: its own database, Redis prefix and NATS. */
  env: Env;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** This file's own NATS server, when it runs locally (undefined with containers). */
  nats?: PrivateNats;
  cleanup(): Promise<void>;
}

/** Call in beforeAll: a fresh database, Redis prefix and NATS for one test file. */
export async function createTestEnv(overrides: Env = {}): Promise<TestEnv> {
  const servers = testServers();
  const template = process.env.GATEHOUSE_TEST_TEMPLATE ?? (await prepareTemplate(servers.postgresUrl));
  const database = await createTestDatabase(servers.postgresUrl, template);
  // A set-up that fails half-way leaves nothing behind (the file's afterAll has nothing to stop).
  const nats = servers.natsUrl
    ? undefined
    : await PrivateNats.start().catch(async (error: unknown) => {
        await database.drop();
        throw error;
      });
  const natsUrl = servers.natsUrl ?? nats!.url;
  const redisPrefix = `ghtest:${randomBytes(6).toString('hex')}:`;
  const env: Env = {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: servers.redisUrl,
    REDIS_PREFIX: redisPrefix,
    NATS_URL: natsUrl,
    // CI shares two cores between two test files and argon2id; a loaded machine is not an outage.
    NATS_REQUEST_TIMEOUT_MS: '15000',
    HEALTH_TIMEOUT_MS: '5000',
    // Tests hash hundreds of passwords: the cost floor, not the production default (bench/ uses that).
    ARGON2_MEMORY_KIB: '19456',
    ARGON2_PASSES: '2',
    // OPAQUE records are stretched too (server-side registration, plain logins of OPAQUE users): the floor here as well.
    OPAQUE_STRETCH_MEMORY_KIB: '8192',
    OPAQUE_STRETCH_ITERATIONS: '1',
    OPAQUE_STRETCH_PARALLELISM: '1',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    // Test files run side by side: each gateway's metrics listener on a port of its own.
    METRICS_PORT: '0',
    GATEHOUSE_DOMAIN: 'example.com',
    // Every test peer (SMTP sink, LDAP, OIDC provider) listens on loopback; security tests pass '' to refuse it.
    OUTBOUND_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
    ...overrides,
  };
  return {
    env,
    databaseUrl: database.url,
    redisUrl: servers.redisUrl,
    redisPrefix,
    nats,
    async cleanup() {
      await nats?.stop();
      await database.drop();
    },
  };
}
