import type { Provider, Type } from '@nestjs/common';
import { GatehouseSdkAssets } from '../hosted-login/gatehouse-sdk-assets';
import { HostedLoginPage } from '../hosted-login/hosted-login.page';
import { CrossOriginPolicy } from './cors.hook';
import { OriginBindings } from './origin-bindings';
import { AdminWebOriginsController, WebOriginBindController } from './web-origins.controller';
import { WebOrigins } from './web-origins.service';

/** Web apps on other origins (issue 19): CORS for registered origins, the login library and the hosted login page. */
export const crossOriginFeature: { controllers: Type[]; providers: Provider[] } = {
  controllers: [AdminWebOriginsController, WebOriginBindController],
  providers: [WebOrigins, OriginBindings, CrossOriginPolicy, GatehouseSdkAssets, HostedLoginPage],
};
