import { DynamicModule, Module } from '@nestjs/common';
import {
  IntervalScheduler,
  ResourceCloser,
  ServiceRuntime,
  healthChecksProvider,
  healthController,
  natsClientProvider,
  prismaProvider,
  redisProvider,
  runtimeProviders,
} from '@gatehouse/platform';
import { SessionsConfig } from './config';
import { NonceStore } from './sessions/nonce-store';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsRepository } from './sessions/sessions.repository';
import { SessionsService } from './sessions/sessions.service';
import { TokenCache } from './sessions/token-cache';
import { ExpirySweeper } from './sweep/expiry-sweeper.service';

@Module({})
export class SessionsModule {
  static forRoot(runtime: ServiceRuntime<SessionsConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: SessionsModule,
      controllers: [healthController('sessions'), SessionsController],
      providers: [
        ...runtimeProviders(runtime),
        prismaProvider({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        redisProvider({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX }),
        natsClientProvider(config.NATS_URL, 'gatehouse-sessions-client', config.NATS_REQUEST_TIMEOUT_MS),
        healthChecksProvider({ postgres: true, redis: true }),
        SessionsRepository,
        SessionsService,
        TokenCache,
        NonceStore,
        IntervalScheduler,
        ExpirySweeper,
        ResourceCloser,
      ],
    };
  }
}
