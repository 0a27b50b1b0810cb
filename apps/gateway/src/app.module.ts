import { DynamicModule, Module } from '@nestjs/common';
import { ResourceCloser, ServiceRuntime, natsClientProvider, redisProvider, runtimeProviders } from '@gatehouse/platform';
import { GatewayConfig } from './config';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';

@Module({})
export class GatewayModule {
  static forRoot(runtime: ServiceRuntime<GatewayConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: GatewayModule,
      controllers: [HealthController],
      providers: [
        ...runtimeProviders(runtime),
        natsClientProvider(config.NATS_URL, 'gatehouse-gateway', config.NATS_REQUEST_TIMEOUT_MS),
        redisProvider({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX }),
        ReadinessService,
        ResourceCloser,
      ],
    };
  }
}
