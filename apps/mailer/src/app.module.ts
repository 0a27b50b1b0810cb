import { DynamicModule, Module } from '@nestjs/common';
import {
  ResourceCloser,
  ServiceRuntime,
  healthChecksProvider,
  healthController,
  prismaProvider, redisProvider,
  runtimeProviders,
} from '@gatehouse/platform';
import { MailerConfig } from './config';

@Module({})
export class MailerModule {
  static forRoot(runtime: ServiceRuntime<MailerConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: MailerModule,
      controllers: [healthController('mailer')],
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
