import { DynamicModule, Module } from '@nestjs/common';
import {
  ResourceCloser,
  ServiceRuntime,
  healthChecksProvider,
  healthController,
  prismaProvider, redisProvider,
  runtimeProviders,
} from '@gatehouse/platform';
import { AuthConfig } from './config';

@Module({})
export class AuthModule {
  static forRoot(runtime: ServiceRuntime<AuthConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: AuthModule,
      controllers: [healthController('auth')],
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
