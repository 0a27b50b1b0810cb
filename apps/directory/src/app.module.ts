import { DynamicModule, Module } from '@nestjs/common';
import { SecretBox } from '@gatehouse/crypto';
import { ServiceRuntime, healthController, serviceProviders } from '@gatehouse/platform';
import { AppsController } from './apps/apps.controller';
import { AppsRepository } from './apps/apps.repository';
import { AppsService } from './apps/apps.service';
import { ClientSettingsController } from './client-settings/client-settings.controller';
import { ClientSettingsRepository } from './client-settings/client-settings.repository';
import { ClientSettingsService } from './client-settings/client-settings.service';
import { DirectoryConfig } from './config';
import { HomeScreenController } from './home-screen/home-screen.controller';
import { HomeScreenRepository } from './home-screen/home-screen.repository';
import { HomeScreenService } from './home-screen/home-screen.service';
import { TemplatesController } from './templates/templates.controller';
import { TemplatesRepository } from './templates/templates.repository';
import { TemplatesService } from './templates/templates.service';
import { AppsChangedNotifier } from './user-apps/apps-changed.notifier';
import { UserAppsController } from './user-apps/user-apps.controller';
import { UserAppsRepository } from './user-apps/user-apps.repository';
import { UserAppsService } from './user-apps/user-apps.service';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

@Module({})
export class DirectoryModule {
  static forRoot(runtime: ServiceRuntime<DirectoryConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: DirectoryModule,
      controllers: [
        healthController('directory'),
        UsersController,
        HomeScreenController,
        AppsController,
        UserAppsController,
        TemplatesController,
        ClientSettingsController,
      ],
      providers: [
        ...serviceProviders('directory', runtime, { natsClient: true }),
        { provide: SecretBox, useValue: new SecretBox(config.GATEHOUSE_ENCRYPTION_KEY) },
        AppsChangedNotifier,
        UsersRepository,
        UsersService,
        HomeScreenRepository,
        HomeScreenService,
        AppsRepository,
        AppsService,
        UserAppsRepository,
        UserAppsService,
        TemplatesRepository,
        TemplatesService,
        ClientSettingsRepository,
        ClientSettingsService,
      ],
    };
  }
}
