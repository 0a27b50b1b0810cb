import type { Provider, Type } from '@nestjs/common';
import { MyPresenceController } from '../presence/my-presence.controller';
import { PresenceEventsController } from '../presence/presence-events.controller';
import { AppSdkAssets } from './app-sdk-assets';
import { AppSocketEventsController, AppSockets } from './app-sockets';

/** Apps inside the client (issue 18): the app library at /sdk/app.js, presence, and app servers' sockets. */
export const appRuntimeFeature: { controllers: Type[]; providers: Provider[] } = {
  controllers: [MyPresenceController, PresenceEventsController, AppSocketEventsController],
  providers: [AppSdkAssets, AppSockets],
};
