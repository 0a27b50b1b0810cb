import { Controller, Inject, Type } from '@nestjs/common';
import { HealthPingRes, ServiceName, healthSubject } from '@gatehouse/contracts';
import { RpcHandler } from '../nats/rpc-handler.decorator';

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
/** Named checks of the servers a service depends on (postgres, redis, smtp ...). */
export type HealthChecks = Record<string, () => Promise<boolean>>;

/** The `<service>.health.ping` handler that the gateway's readiness asks. */
export function healthController(service: ServiceName): Type<unknown> {
  @Controller()
  class HealthController {
    constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthChecks) {}

    @RpcHandler(healthSubject(service))
    async ping(): Promise<HealthPingRes> {
      const names = Object.keys(this.checks);
      const results = await Promise.all(names.map((name) => this.checks[name]()));
      const checks = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'up' : 'down'] as const));
      return { service, status: results.every(Boolean) ? 'up' : 'down', checks };
    }
  }
  return HealthController;
}
