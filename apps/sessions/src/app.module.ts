import { DynamicModule, Module } from '@nestjs/common';
import {
  ResourceCloser,
  ServiceRuntime,
  healthChecksProvider,
  healthController,
  prismaProvider, redisProvider,
  runtimeProviders,
} from '@gatehouse/platform';
import { SessionsConfig } from './config';

@Module({})
export class SessionsModule {
  static forRoot(runtime: ServiceRuntime<SessionsConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: SessionsModule,
      controllers: [healthController('sessions')],
      providers: [
        ...runtimeProviders(runtime),
        prismaProvider({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        redisProvider({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX }),
        healthChecksProvider({ postgres: true, redis: true }),
        ResourceCloser,
      ],
    };
  }
}
