// The filled database of bench/data.ts and how the benchmarks find it.
import { localServers } from '@gatehouse/testing';

export const BENCH_DATA = {
  users: 100_000,
  apps: 1_000,
  templates: 100,
  sessions: 1_000_000,
  /** The first holds half of the users (the admin benchmark searches it); the other nine share the rest. */
  domains: ['example.com', ...Array.from({ length: 9 }, (_, i) => `d${i + 1}.example.net`)],
  /** The Redis key prefix of the filled data's token copies (the services run under it on the filled database). */
  redisPrefix: 'ghbench:',
};

export function benchDatabaseUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const url = new URL(localServers().postgresUrl);
  url.pathname = '/gatehouse_bench';
  return url.toString();
}

export const benchRedisUrl = (): string => localServers().redisUrl;
