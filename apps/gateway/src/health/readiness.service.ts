import { Inject, Injectable } from '@nestjs/common';
import { ServiceNames, healthSubject } from '@gatehouse/contracts';
import { CONFIG, NatsClient, REDIS, pingRedis } from '@gatehouse/platform';
import type Redis from 'ioredis';
import type { GatewayConfig } from '../config';

type Status = 'up' | 'down';

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { nats: Status; redis: Status; postgres: Status; services: Record<string, Status> };
  failing: string[];
}

/** Readiness of the whole system as the gateway sees it: its servers and every service. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly nats: NatsClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  async check(): Promise<Readiness> {
    const timeoutMs = this.config.HEALTH_TIMEOUT_MS;
    const [nats, redis, ...pings] = await Promise.all([
      this.nats.ping(timeoutMs),
      pingRedis(this.redis, timeoutMs),
      ...ServiceNames.map((service) => this.nats.send(healthSubject(service), {}, { timeoutMs }).catch(() => null)),
    ]);
    const services: Record<string, Status> = {};
    ServiceNames.forEach((service, i) => (services[service] = pings[i]?.status === 'up' ? 'up' : 'down'));
    // PostgreSQL is reached through the services that own its schemas.
    const postgresViews = pings.filter((ping) => ping && ping.checks.postgres).map((ping) => ping!.checks.postgres);
    const postgres: Status = postgresViews.length === ServiceNames.length && postgresViews.every((s) => s === 'up') ? 'up' : 'down';
    const checks = { nats: status(nats), redis: status(redis), postgres, services };
    const failing = [
      ...(['nats', 'redis', 'postgres'] as const).filter((name) => checks[name] === 'down'),
      ...ServiceNames.filter((service) => services[service] === 'down'),
    ];
    return { status: failing.length ? 'unavailable' : 'ok', checks, failing };
  }
}

const status = (up: boolean): Status => (up ? 'up' : 'down');
