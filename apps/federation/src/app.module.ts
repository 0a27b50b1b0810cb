import { DynamicModule, Module } from '@nestjs/common';
import {
  ResourceCloser,
  ServiceRuntime,
  healthChecksProvider,
  healthController,
  prismaProvider,
  runtimeProviders,
} from '@gatehouse/platform';
import { FederationConfig } from './config';

@Module({})
export class FederationModule {
  static forRoot(runtime: ServiceRuntime<FederationConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: FederationModule,
      controllers: [healthController('federation')],
      providers: [
        ...runtimeProviders(runtime),
        prismaProvider({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        healthChecksProvider({ postgres: true }),
        ResourceCloser,
      ],
    };
  }
}
