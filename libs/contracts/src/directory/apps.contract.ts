import { z } from 'zod';
import { event, request } from '../contract';
import { Domain, Uuid } from '../common/schemas';
import { ApiName, AppBaseUrl, AppId, DomainScope, PageReq, Timestamps, page } from './registry.schemas';
import { OidcClientSettings, OidcClientSettingsFields } from './oidc.contract';

export const AppsSubjects = {
  appCreate: 'directory.app.create',
  appGet: 'directory.app.get',
  appList: 'directory.app.list',
  appUpdate: 'directory.app.update',
  appDelete: 'directory.app.delete',
  userAppsList: 'directory.user-apps.list',
  apiProvidersList: 'directory.api-providers.list',
  appLogin: 'directory.app.login',
  appsChanged: 'directory.apps.changed',
} as const;

const flags = {
  /** No user interface: only provides client APIs; never listed to users. */
  hidden: z.boolean(),
  /** A regular website shown in an iframe, not an app that logs in. */
  plainWebsite: z.boolean(),
  /** Needs a WebSocket connection from the PBX. */
  websocket: z.boolean(),
  /** Phone or softphone app: reaches a user only through a device assignment. */
  deviceApp: z.boolean(),
};

/** An app object as the admin sees it; the shared secret is write-only (`secretSet` tells whether one is stored). */
export const AdminAppView = z.object({
  id: AppId,
  domain: Domain,
  name: z.string(),
  url: z.string(),
  htmlUrl: z.string(),
  iconUrl: z.string(),
  ...flags,
  apis: z.array(ApiName),
  secretSet: z.boolean(),
  /** OpenID Connect client settings; `clientId` is `<appId>@<domain>`, the secret is the shared secret. */
  oidc: OidcClientSettingsFields.extend({ clientId: z.string() }).nullable(),
  ...Timestamps,
});
export type AdminAppView = z.infer<typeof AdminAppView>;

/** An app as its user sees it in "All apps"; `devices` names the devices a phone app is assigned to. */
export const UserAppView = AdminAppView.omit({ secretSet: true, oidc: true, createdAt: true, updatedAt: true }).extend({
  devices: z.array(z.string()).optional(),
});
export type UserAppView = z.infer<typeof UserAppView>;

/** POST /admin/apps: `{ id, name, url, secret?, hidden?, plainWebsite?, websocket?, apis?, deviceApp? }`. */
export const AppInput = z
  .object({
    id: AppId,
    name: z.string().trim().min(1).max(200),
    url: AppBaseUrl,
    secret: z.string().min(1).max(1024).optional(),
    hidden: flags.hidden.optional(),
    plainWebsite: flags.plainWebsite.optional(),
    websocket: flags.websocket.optional(),
    apis: z.array(ApiName).max(100).optional(),
    deviceApp: flags.deviceApp.optional(),
    /** Makes the app an OpenID Connect client; `null` on PATCH ends that. */
    oidc: OidcClientSettings.optional(),
  })
  .strict();
export type AppInput = z.infer<typeof AppInput>;

/** PATCH /admin/apps/:id: any field but the id; `secret: null` removes the shared secret. */
export const AppPatch = AppInput.omit({ id: true })
  .partial()
  .extend({ secret: z.string().min(1).max(1024).nullable().optional(), oidc: OidcClientSettings.nullable().optional() })
  .strict();
export type AppPatch = z.infer<typeof AppPatch>;

export const AppCreateReq = z.object({ ...DomainScope, app: AppInput }).strict();
export const AppRes = z.object({ app: AdminAppView });
export const AppGetReq = z.object({ ...DomainScope, id: AppId }).strict();
export const AppListReq = z.object({ ...DomainScope, ...PageReq }).strict();
export const AppListRes = page(AdminAppView);
export const AppUpdateReq = z.object({ ...DomainScope, id: AppId, patch: AppPatch }).strict();
export const AppDeleteReq = AppGetReq;
export const AppDeleteRes = z.object({ deleted: z.literal(true) });

/** The apps a user may run (hidden ones left out): grants on the user and through templates, and device assignments. */
export const UserAppsListReq = z.object({ userId: Uuid }).strict();
export const UserAppsListRes = z.object({ apps: z.array(UserAppView) });

/** Every app the user may use that provides `api`, hidden ones included. */
export const ApiProvidersListReq = z.object({ userId: Uuid, api: ApiName }).strict();
export const ApiProvidersListRes = UserAppsListRes;

/** Longest app-login challenge; equals APP_LOGIN_MAX_CHALLENGE of libs/app-login (a spec there holds them equal; contracts stay free of node:crypto for the browser). */
export const APP_LOGIN_CHALLENGE_MAX_LENGTH = 1024;

/** The random challenge an app backend gave its client (see libs/app-login). */
export const AppLoginChallenge = z
  .string()
  .min(1)
  .max(APP_LOGIN_CHALLENGE_MAX_LENGTH)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');
export const AppLoginReq = z.object({ userId: Uuid, appId: AppId, challenge: AppLoginChallenge }).strict();
/** `digest` = hex HMAC-SHA256(app secret, canonical string of app, domain, user, challenge); README "App login". */
export const AppLoginRes = z.object({
  app: AppId,
  domain: Domain,
  user: z.string(),
  challenge: z.string(),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The apps these users may run have changed (grant, template, app or device edits); each of their sockets is told. */
export const AppsChangedEvent = z.object({ userIds: z.array(Uuid).min(1) });

export const appsContract = {
  [AppsSubjects.appCreate]: request(AppCreateReq, AppRes),
  [AppsSubjects.appGet]: request(AppGetReq, AppRes),
  [AppsSubjects.appList]: request(AppListReq, AppListRes),
  [AppsSubjects.appUpdate]: request(AppUpdateReq, AppRes),
  [AppsSubjects.appDelete]: request(AppDeleteReq, AppDeleteRes),
  [AppsSubjects.userAppsList]: request(UserAppsListReq, UserAppsListRes),
  [AppsSubjects.apiProvidersList]: request(ApiProvidersListReq, ApiProvidersListRes),
  [AppsSubjects.appLogin]: request(AppLoginReq, AppLoginRes),
  [AppsSubjects.appsChanged]: event(AppsChangedEvent),
};
