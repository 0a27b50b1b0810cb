import { DynamicModule, Module } from '@nestjs/common';
import { ResourceCloser, ServiceRuntime, natsClientProvider, redisProvider, runtimeProviders } from '@gatehouse/platform';
import { AdminEmailController } from './admin-email/admin-email.controller';
import { authFeature } from './auth/auth.feature';
import { GatewayConfig } from './config';
import { HealthController } from './health/health.controller';
import { OAuth2Controller } from './oauth2/oauth2.controller';
import { ReadinessService } from './health/readiness.service';

@Module({})
export class GatewayModule {
  static forRoot(runtime: ServiceRuntime<GatewayConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: GatewayModule,
      controllers: [HealthController, ...authFeature.controllers, OAuth2Controller, AdminEmailController],
      providers: [
        ...runtimeProviders(runtime),
        natsClientProvider(config.NATS_URL, 'gatehouse-gateway', config.NATS_REQUEST_TIMEOUT_MS),
        redisProvider({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX }),
        ReadinessService,
        ...authFeature.providers,
        ResourceCloser,
      ],
    };
  }
}
