import type { Provider, Type } from '@nestjs/common';
import { AdminAppsController } from '../admin-directory/admin-apps.controller';
import { AdminMyAppsConfigController } from '../admin-directory/admin-myapps-config.controller';
import { AdminTemplatesController } from '../admin-directory/admin-templates.controller';
import { AdminUsersController } from '../admin-directory/admin-users.controller';
import { MeController } from '../me/me.controller';
import { MyHomeScreenController } from '../me/my-home-screen.controller';
import { AdminScope } from './admin-scope';
import { DirectoryEventsController } from './directory-events.controller';

/** The app registry's routes (`/me`, `/admin/users|templates|apps`, `/admin/config/myapps`) and socket pushes. */
export const directoryFeature: { controllers: Type[]; providers: Provider[] } = {
  controllers: [
    MeController,
    MyHomeScreenController,
    AdminUsersController,
    AdminAppsController,
    AdminTemplatesController,
    AdminMyAppsConfigController,
    DirectoryEventsController,
  ],
  providers: [AdminScope],
};
