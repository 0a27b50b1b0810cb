import { createConnection } from 'node:net';
import { dockerRuns } from './docker';

/** Where the shared test servers are; set by the global setup, read by every test file. */
export interface TestServers {
  postgresUrl: string;
  redisUrl: string;
  /** Set when NATS runs in a container; otherwise each file starts its own nats-server. */
  natsUrl?: string;
  source: 'docker' | 'local';
}

const KEY = 'GATEHOUSE_TEST_SERVERS';

export function publishServers(servers: TestServers): void {
  process.env[KEY] = JSON.stringify(servers);
}

export function testServers(): TestServers {
  const raw = process.env[KEY];
  if (raw) return JSON.parse(raw) as TestServers;
  return localServers();
}

export const localServers = (): TestServers => ({
  postgresUrl: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  source: 'local',
});

export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Containers where Docker runs, the machine's own servers otherwise. */
export async function startServers(): Promise<{ servers: TestServers; stop: () => Promise<void> }> {
  if (!dockerRuns()) {
    const servers = localServers();
    for (const url of [servers.postgresUrl, servers.redisUrl]) {
      const { hostname, port } = new URL(url);
      if (!(await portOpen(hostname, Number(port)))) {
        throw new Error(`no server at ${hostname}:${port}: start it (the project's .ci/run does) or run Docker for testcontainers`);
      }
    }
    return { servers, stop: async () => undefined };
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  const [postgres, redis, nats] = await Promise.all([
    new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7-alpine').withExposedPorts(6379).start(),
    new GenericContainer('nats:2-alpine').withCommand(['-js']).withExposedPorts(4222).start(),
  ]);
  const servers: TestServers = {
    postgresUrl: `postgresql://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    source: 'docker',
  };
  return { servers, stop: async () => void (await Promise.all([postgres.stop(), redis.stop(), nats.stop()])) };
}
