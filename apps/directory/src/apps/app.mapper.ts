import { AdminAppView, OidcClientSettings, UserAppView, oidcClientId } from '@gatehouse/contracts';
import type { AppRow } from './apps.repository';

/** What admins and users both see; the page is the base URL + `.htm`, the icon + `.png` (seed 000 "App objects"). */
const appFields = (row: AppRow) => ({
  id: row.appId,
  domain: row.domain,
  name: row.longName,
  url: row.url,
  htmlUrl: `${row.url}.htm`,
  iconUrl: `${row.url}.png`,
  hidden: row.hidden,
  plainWebsite: row.plainWebsite,
  websocket: row.websocket,
  deviceApp: row.deviceApp,
  apis: row.providedApis,
});

export const toAdminApp = (row: AppRow): AdminAppView => ({
  ...appFields(row),
  secretSet: row.secretEncrypted !== '',
  oidc: row.oidcClient ? { ...OidcClientSettings.parse(row.oidcClient), clientId: oidcClientId(row.appId, row.domain) } : null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const toUserApp = (row: AppRow, devices: string[]): UserAppView => ({ ...appFields(row), ...(row.deviceApp ? { devices } : {}) });
