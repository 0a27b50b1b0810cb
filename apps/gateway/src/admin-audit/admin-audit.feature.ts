import type { Provider, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AdminAuditController } from './admin-audit.controller';
import { AdminChangeInterceptor } from './admin-change.interceptor';
import { AdminWebhooksController } from '../admin-webhooks/admin-webhooks.controller';

/** `/admin/audit`, `/admin/webhooks` and the recording of every admin change (a global interceptor: no admin route can be left out). */
export const adminAuditFeature: { controllers: Type[]; providers: Provider[] } = {
  controllers: [AdminAuditController, AdminWebhooksController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: AdminChangeInterceptor }],
};
