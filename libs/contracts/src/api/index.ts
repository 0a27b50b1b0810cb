import { approvalsRoutes } from './approvals.routes';
import { authRoutes } from './auth.routes';
import { meRoutes } from './me.routes';
import { adminUserRoutes } from './admin-users.routes';
import { adminConfigRoutes } from './admin-config.routes';
import { adminDirectoryRoutes } from './admin-directory.routes';
import { adminAuditRoutes } from './admin-audit.routes';
import { adminConsoleRoutes } from './admin-console.routes';
import { webAppsRoutes } from './web-apps.routes';
import { adminPasskeysRoutes } from './admin-passkeys.routes';

export * from './route';
export * from './protocol';
export * from './messages';
export { declaredErrors, openApiDocument, type OpenApiOptions } from './openapi';
export { CheckReply, PendingLoginStatusReply, authRoutes } from './auth.routes';
export { ProfileReply, meRoutes } from './me.routes';
export { approvalsRoutes } from './approvals.routes';

/**
 * Every public HTTP route under API_PREFIX, by `'METHOD /path'`. The gateway binds its handlers to
 * these; the OpenAPI document and the typed client are made from them.
 */
export const apiRoutes = {
  ...authRoutes,
  ...meRoutes,
  ...adminUserRoutes,
  ...adminConfigRoutes,
  ...adminDirectoryRoutes,
  ...adminAuditRoutes,
  ...approvalsRoutes,
  ...adminConsoleRoutes,
  ...webAppsRoutes,
  ...adminPasskeysRoutes,
};
export type ApiRoutes = typeof apiRoutes;
export type ApiRouteKey = keyof ApiRoutes;
