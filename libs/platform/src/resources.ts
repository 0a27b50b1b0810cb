import { Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DatabaseOptions, PrismaClient, createPrismaClient, pingDatabase } from '@gatehouse/db';
import type Redis from 'ioredis';
import { NatsClient } from './nats/nats.client';
import { RedisOptions, createRedis, pingRedis } from './redis/redis';
import { HEALTH_CHECKS, HealthChecks } from './health/health.controller';
import { REDIS } from './tokens';
import { ServiceRuntime, runtimeProviders } from './runtime';

export const prismaProvider = (options: DatabaseOptions): Provider => ({
  provide: PrismaClient,
  useFactory: () => createPrismaClient(options),
});

export const redisProvider = (options: RedisOptions): Provider => ({
  provide: REDIS,
  useFactory: async () => {
    const redis = createRedis(options);
    // Give the first connection a moment, so readiness is right at boot; no Redis is no reason not to start.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return redis;
  },
});

export const natsClientProvider = (url: string, name: string, timeoutMs: number): Provider => ({
  provide: NatsClient,
  useFactory: () => new NatsClient(url, name, timeoutMs),
});

/** Health checks for the servers a service holds: `postgres`, `redis`, or both. */
export function healthChecksProvider(uses: { postgres?: boolean; redis?: boolean }): Provider {
  const inject = [...(uses.postgres ? [PrismaClient] : []), ...(uses.redis ? [REDIS] : [])];
  return {
    provide: HEALTH_CHECKS,
    inject,
    useFactory: (...deps: unknown[]): HealthChecks => {
      const checks: HealthChecks = {};
      let i = 0;
      if (uses.postgres) {
        const prisma = deps[i++] as PrismaClient;
        checks.postgres = () => pingDatabase(prisma);
      }
      if (uses.redis) {
        const redis = deps[i++] as Redis;
        checks.redis = () => pingRedis(redis);
      }
      return checks;
    },
  };
}

/** Closes connections after the server stopped taking work: NATS drained, then Redis, then PostgreSQL. */
@Injectable()
export class ResourceCloser implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  async onApplicationShutdown(): Promise<void> {
    await this.find<NatsClient>(NatsClient)?.close();
    const redis = this.find<Redis>(REDIS);
    if (redis) await redis.quit().catch(() => redis.disconnect());
    await this.find<PrismaClient>(PrismaClient)?.$disconnect();
  }

  private find<T>(token: unknown): T | undefined {
    try {
      return this.moduleRef.get(token as never, { strict: false }) as T;
    } catch {
      return undefined;
    }
  }
}

/** What every data-holding service's config carries for its servers. */
export interface ServiceServersConfig {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  NATS_URL: string;
  NATS_REQUEST_TIMEOUT_MS: number;
  REDIS_URL?: string;
  REDIS_PREFIX?: string;
}

/**
 * The providers every service module starts with: runtime (config, logger, clock, metrics),
 * PostgreSQL, Redis when it uses it, a NATS client when it calls others, their health checks,
 * and closing them at shutdown.
 */
export function serviceProviders<C extends ServiceServersConfig>(
  name: string,
  runtime: ServiceRuntime<C>,
  uses: { redis?: boolean; natsClient?: boolean },
): Provider[] {
  const { config } = runtime;
  return [
    ...runtimeProviders(runtime),
    prismaProvider({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
    ...(uses.redis ? [redisProvider({ url: config.REDIS_URL!, prefix: config.REDIS_PREFIX! })] : []),
    ...(uses.natsClient ? [natsClientProvider(config.NATS_URL, `gatehouse-${name}-client`, config.NATS_REQUEST_TIMEOUT_MS)] : []),
    healthChecksProvider({ postgres: true, redis: uses.redis }),
    ResourceCloser,
  ];
}
