import { DynamicModule, Module } from '@nestjs/common';
import {
  ResourceCloser,
  ServiceRuntime,
  healthChecksProvider,
  healthController,
  natsClientProvider,
  prismaProvider,
  runtimeProviders,
} from '@gatehouse/platform';
import { DirectoryConfig } from './config';
import { HomeScreenController } from './home-screen/home-screen.controller';
import { HomeScreenRepository } from './home-screen/home-screen.repository';
import { HomeScreenService } from './home-screen/home-screen.service';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

@Module({})
export class DirectoryModule {
  static forRoot(runtime: ServiceRuntime<DirectoryConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: DirectoryModule,
      controllers: [healthController('directory'), UsersController, HomeScreenController],
      providers: [
        ...runtimeProviders(runtime),
        prismaProvider({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        natsClientProvider(config.NATS_URL, 'gatehouse-directory-client', config.NATS_REQUEST_TIMEOUT_MS),
        healthChecksProvider({ postgres: true }),
        UsersRepository,
        UsersService,
        HomeScreenRepository,
        HomeScreenService,
        ResourceCloser,
      ],
    };
  }
}
