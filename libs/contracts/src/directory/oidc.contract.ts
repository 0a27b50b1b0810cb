import { z } from 'zod';
import { event, request } from '../contract';
import { Domain, Uuid } from '../common/schemas';
import { AppId } from './registry.schemas';

/**
 * The OpenID Provider (README "Sign in to your apps with OpenID Connect"): the gateway speaks the
 * protocol with `oidc-provider`; directory, which owns the apps (its clients) and the users, keeps
 * its state. Subjects are requests unless named in the past tense.
 */
export const OidcSubjects = {
  storeUpsert: 'directory.oidc-store.upsert',
  storeFind: 'directory.oidc-store.find',
  storeFindByUid: 'directory.oidc-store.find-by-uid',
  storeFindByUserCode: 'directory.oidc-store.find-by-user-code',
  storeConsume: 'directory.oidc-store.consume',
  storeDestroy: 'directory.oidc-store.destroy',
  storeRevokeByGrant: 'directory.oidc-store.revoke-by-grant',
  grantBind: 'directory.oidc-grant.bind',
  grantSession: 'directory.oidc-grant.session',
  clientGet: 'directory.oidc-client.get',
  accountGet: 'directory.oidc-account.get',
  keysList: 'directory.oidc-keys.list',
  keysRotate: 'directory.oidc-keys.rotate',
  keysRotated: 'directory.oidc-keys.rotated',
} as const;

/** `oidc-provider`'s model names (Grant, Session, AccessToken, RefreshToken, AuthorizationCode, DeviceCode, Interaction ...). */
export const OidcModel = z.string().regex(/^[A-Za-z]{1,40}$/, 'must be an oidc-provider model name');
/** oidc-provider's ids: nanoid, uuids, or a user code. */
export const OidcId = z.string().min(1).max(512);
export const OidcPayloadJson = z.record(z.string(), z.unknown());

/** Members of a private JWK: an app's key set must hold public keys only. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/**
 * An app's OpenID Connect client settings (write side). The client id is `<appId>@<domain>`; the
 * client secret is the app's shared secret, or with `private_key_jwt` the app signs with a key of
 * `jwks` (inline: Gatehouse never fetches a key URL an admin typed). `none` is not offered: every app
 * is a confidential client (PKCE is required of all of them anyway).
 */
export const OidcClientSettingsFields = z
  .object({
    redirectUris: z
      .array(z.url({ protocol: /^https?$/ }).max(2000))
      .min(1)
      .max(20),
    postLogoutRedirectUris: z
      .array(z.url({ protocol: /^https?$/ }).max(2000))
      .max(20)
      .default([]),
    backchannelLogoutUri: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .default(null),
    tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt']).default('client_secret_basic'),
    jwks: z
      .object({
        keys: z
          .array(
            z
              .record(z.string(), z.unknown())
              .refine((key) => !PRIVATE_JWK_MEMBERS.some((member) => member in key), 'must be a public key (no private members)'),
          )
          .min(1)
          .max(10),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export const OidcClientSettings = OidcClientSettingsFields.refine(
  (settings) => settings.tokenEndpointAuthMethod !== 'private_key_jwt' || settings.jwks !== null,
  {
    message: "private_key_jwt needs the app's public keys in jwks",
    path: ['jwks'],
  },
);
export type OidcClientSettings = z.infer<typeof OidcClientSettings>;

/** `appId@domain`: one issuer for the installation, so a client id names its domain. */
export const OidcClientId = z.string().regex(/^[A-Za-z0-9._~-]{1,128}@[a-z0-9.-]+$/i, 'must be appId@domain');
export const oidcClientId = (appId: string, domain: string): string => `${appId}@${domain}`;

export const StoreUpsertReq = z
  .object({
    model: OidcModel,
    id: OidcId,
    payload: OidcPayloadJson,
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(400 * 86_400)
      .optional(),
  })
  .strict();
export const StoreKeyReq = z.object({ model: OidcModel, id: OidcId }).strict();
export const StoreFindRes = z.object({ payload: OidcPayloadJson.nullable() });
export const StoreFindByUidReq = z.object({ model: OidcModel, uid: OidcId }).strict();
export const StoreFindByUserCodeReq = z.object({ model: OidcModel, userCode: OidcId }).strict();
export const StoreDoneRes = z.object({ done: z.literal(true) });
export const StoreRevokeByGrantReq = z.object({ grantId: OidcId }).strict();

/** `issuer`: where the app signed in; its back-channel logout token names the same issuer. */
export const GrantBindReq = z
  .object({ grantId: OidcId, deviceSessionId: Uuid, userId: Uuid, clientId: OidcClientId, issuer: z.url().max(2000) })
  .strict();
export const GrantSessionReq = z.object({ grantId: OidcId }).strict();
export const GrantSessionRes = z.object({ deviceSessionId: Uuid.nullable() });

/** What `oidc-provider` needs to know of a client (snake_case: its metadata names). */
export const OidcClientMetadata = z.object({
  client_id: OidcClientId,
  client_secret: z.string().optional(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
  client_name: z.string(),
  redirect_uris: z.array(z.string()),
  post_logout_redirect_uris: z.array(z.string()),
  backchannel_logout_uri: z.string().optional(),
  backchannel_logout_session_required: z.boolean().optional(),
  token_endpoint_auth_method: z.string(),
  grant_types: z.array(z.string()),
  response_types: z.array(z.string()),
});
export type OidcClientMetadata = z.infer<typeof OidcClientMetadata>;
export const ClientGetReq = z.object({ clientId: z.string().min(1).max(300) }).strict();
/** Null for an unknown client, an app without OIDC settings or without a shared secret. */
export const ClientGetRes = z.object({ client: OidcClientMetadata.nullable() });

export const AccountGetReq = z.object({ userId: Uuid, clientId: z.string().min(1).max(300).optional() }).strict();
export const OidcAccount = z.object({
  userId: Uuid,
  domain: Domain,
  username: z.string(),
  email: z.string().nullable(),
  displayName: z.string(),
  /** Apps the user may run (the registry's one rule), by id. */
  apps: z.array(AppId),
});
/** `granted`: the user may run the app of `clientId` (false without one). */
export const AccountGetRes = z.object({ account: OidcAccount.nullable(), granted: z.boolean() });

/** Private JWKs (only the gateway asks, over the internal NATS); the signing key first. */
export const SigningKey = z.object({ kid: z.string(), jwk: OidcPayloadJson, retireAt: z.string().nullable() });
export const KeysListReq = z.object({}).strict();
/** `cookieSecret`: the key of the provider's signed cookies, derived from GATEHOUSE_ENCRYPTION_KEY, the same for every gateway. */
export const KeysListRes = z.object({ keys: z.array(SigningKey).min(1), cookieSecret: z.string().min(32) });
export const KeysRotateReq = z.object({}).strict();
export const KeysRotateRes = z.object({ kid: z.string() });
export const KeysRotatedEvent = z.object({ kid: z.string() });

export const oidcContract = {
  [OidcSubjects.storeUpsert]: request(StoreUpsertReq, StoreDoneRes),
  [OidcSubjects.storeFind]: request(StoreKeyReq, StoreFindRes),
  [OidcSubjects.storeFindByUid]: request(StoreFindByUidReq, StoreFindRes),
  [OidcSubjects.storeFindByUserCode]: request(StoreFindByUserCodeReq, StoreFindRes),
  [OidcSubjects.storeConsume]: request(StoreKeyReq, StoreDoneRes),
  [OidcSubjects.storeDestroy]: request(StoreKeyReq, StoreDoneRes),
  [OidcSubjects.storeRevokeByGrant]: request(StoreRevokeByGrantReq, StoreDoneRes),
  [OidcSubjects.grantBind]: request(GrantBindReq, StoreDoneRes),
  [OidcSubjects.grantSession]: request(GrantSessionReq, GrantSessionRes),
  [OidcSubjects.clientGet]: request(ClientGetReq, ClientGetRes),
  [OidcSubjects.accountGet]: request(AccountGetReq, AccountGetRes),
  [OidcSubjects.keysList]: request(KeysListReq, KeysListRes),
  [OidcSubjects.keysRotate]: request(KeysRotateReq, KeysRotateRes),
  [OidcSubjects.keysRotated]: event(KeysRotatedEvent),
};
