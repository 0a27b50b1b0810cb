import { DynamicModule, Module } from '@nestjs/common';
import { SecretBox } from '@gatehouse/crypto';
import { IntervalScheduler, ServiceRuntime, healthController, serviceProviders } from '@gatehouse/platform';
import { AdminScope } from './admin-scope';
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
import { AppSocketsController } from './app-sockets/app-sockets.controller';
import { AppSocketsService } from './app-sockets/app-sockets.service';
import { PresenceController } from './presence/presence.controller';
import { PresenceRepository } from './presence/presence.repository';
import { PresenceService } from './presence/presence.service';
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
import { OidcClientsService } from './oidc/oidc-clients.service';
import { OidcController } from './oidc/oidc.controller';
import { BackchannelLogoutQueue } from './oidc/backchannel-logout.queue';
import { DeviceLogoutController } from './oidc/device-logout.controller';
import { OidcSweeper } from './oidc/oidc-sweeper.service';
import { OidcStoreRepository } from './oidc/oidc-store.repository';
import { SigningKeysRepository } from './oidc/signing-keys.repository';
import { SigningKeysService } from './oidc/signing-keys.service';
import { WebOriginsController } from './web-origins/web-origins.controller';
import { WebOriginsRepository } from './web-origins/web-origins.repository';

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
        PresenceController,
        AppSocketsController,
        OidcController,
        DeviceLogoutController,
        WebOriginsController,
      ],
      providers: [
        ...serviceProviders('directory', runtime, { natsClient: true, redis: true }),
        { provide: SecretBox, useValue: new SecretBox(config.GATEHOUSE_ENCRYPTION_KEY) },
        AppsChangedNotifier,
        AdminScope,
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
        PresenceRepository,
        PresenceService,
        AppSocketsService,
        IntervalScheduler,
        OidcStoreRepository,
        OidcClientsService,
        SigningKeysRepository,
        SigningKeysService,
        BackchannelLogoutQueue,
        OidcSweeper,
        WebOriginsRepository,
      ],
    };
  }
}
