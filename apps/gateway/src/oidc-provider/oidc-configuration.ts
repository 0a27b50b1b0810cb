import { escapeHtml, type NatsClient } from '@gatehouse/platform';
import type { Account, OidcContext } from 'oidc-provider';
import { OidcSubjects, SessionsSubjects } from '@gatehouse/contracts';
import { natsOidcAdapter } from './nats-oidc-adapter';
import { providerPages } from './provider-pages';

/** Under this path the provider's endpoints live; discovery also answers at the root. */
export const OIDC_PREFIX = '/oidc';

export interface OidcSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** Scopes beyond openid: the claims each one releases (README "Sign in to your apps with OpenID Connect"). */
export const OIDC_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username', 'domain'],
  email: ['email'],
  apps: ['apps'],
};

/** The account behind `sub`, checked on every use: the user still exists and may run the app, the device session still lives. */
export function findAccount(nats: NatsClient) {
  return async (ctx: OidcContext, sub: string, token?: { grantId?: string }): Promise<Account | undefined> => {
    const clientId = ctx.oidc.client?.clientId;
    const { account, granted } = await nats.send(
      OidcSubjects.accountGet,
      { userId: sub, ...(clientId ? { clientId } : {}) },
      { retries: 1 },
    );
    if (!account) return undefined;
    // Tokens (code, refresh, access) of an app taken away, or of an ended device session, are refused;
    // at the authorization endpoint loadExistingGrant decides, so the user sees access_denied.
    if (token && clientId && !granted) return undefined;
    if (token?.grantId && !(await deviceSessionAlive(nats, token.grantId))) return undefined;
    return {
      accountId: account.userId,
      async claims(_use: string, scope: string) {
        const scopes = new Set(scope.split(' '));
        return {
          sub: account.userId,
          name: account.displayName || account.username,
          preferred_username: `${account.username}@${account.domain}`,
          domain: account.domain,
          email: account.email ?? undefined,
          ...(scopes.has('apps') ? { apps: account.apps } : {}),
        };
      },
    };
  };
}

/**
 * Apps are first-party: a browser signed in through one app signs in to another granted app (the
 * caller checked) without any page (prompt=none works), on the same device session as its other grants.
 */
async function firstPartyGrant(nats: NatsClient, ctx: OidcContext) {
  const { session, client, provider } = ctx.oidc;
  const other = Object.values(session?.authorizations ?? {}).find((entry) => entry?.grantId)?.grantId;
  if (!session?.accountId || !client || !other) return undefined;
  const { deviceSessionId } = await nats.send(OidcSubjects.grantSession, { grantId: other }, { retries: 1 });
  if (!deviceSessionId || !(await nats.send(SessionsSubjects.touch, { sessionId: deviceSessionId })).alive) return undefined;
  const grant = new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  grant.addOIDCScope(String(ctx.oidc.params?.scope ?? 'openid'));
  const grantId = await grant.save();
  await nats.send(OidcSubjects.grantBind, {
    grantId,
    deviceSessionId,
    userId: session.accountId,
    clientId: client.clientId,
    issuer: provider.issuer,
  });
  return grant;
}

/** A grant lives only as long as the permanent device session it was signed in with. */
export async function deviceSessionAlive(nats: NatsClient, grantId: string): Promise<boolean> {
  const { deviceSessionId } = await nats.send(OidcSubjects.grantSession, { grantId }, { retries: 1 });
  if (!deviceSessionId) return false;
  return (await nats.send(SessionsSubjects.touch, { sessionId: deviceSessionId })).alive;
}

export function oidcConfiguration(
  nats: NatsClient,
  settings: OidcSettings,
  jwks: Record<string, unknown>[],
  cookieSecret: string,
): Record<string, unknown> {
  return {
    adapter: natsOidcAdapter(nats),
    findAccount: findAccount(nats),
    jwks: { keys: jwks },
    cookies: { keys: [cookieSecret], long: { signed: true }, short: { signed: true } },
    claims: OIDC_CLAIMS,
    scopes: ['openid', 'offline_access', 'profile', 'email', 'apps'],
    // The claims of the granted scopes go into the ID token too: apps read name, email and domain from it.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    responseTypes: ['code'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      token: `${OIDC_PREFIX}/token`,
      userinfo: `${OIDC_PREFIX}/me`,
      jwks: `${OIDC_PREFIX}/jwks`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      end_session: `${OIDC_PREFIX}/session/end`,
      code_verification: `${OIDC_PREFIX}/device`,
      device_authorization: `${OIDC_PREFIX}/device/auth`,
      // Not enabled below; kept under the prefix all the same.
      registration: `${OIDC_PREFIX}/reg`,
      pushed_authorization_request: `${OIDC_PREFIX}/request`,
      backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
      challenge: `${OIDC_PREFIX}/challenge`,
      credential: `${OIDC_PREFIX}/credential`,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${OIDC_PREFIX}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      // An app may revoke and introspect its own tokens only: another app's token is none of its business.
      revocation: { enabled: true, allowedPolicy: ownToken },
      introspection: { enabled: true, allowedPolicy: ownToken },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: providerPages.logoutSource,
        postLogoutSuccessSource: providerPages.postLogoutSuccessSource,
      },
      backchannelLogout: { enabled: true },
      userinfo: { enabled: true },
      // RFC 8628 for devices without a browser: the user enters the code at /oidc/device in a signed-in browser.
      deviceFlow: {
        enabled: true,
        userCodeInputSource: providerPages.userCodeInputSource,
        userCodeConfirmSource: providerPages.userCodeConfirmSource,
        successSource: providerPages.successSource,
      },
    },
    // Every use of a refresh token returns a new one; a used one offered again revokes the whole grant.
    rotateRefreshToken: true,
    // Tokens hang on the device session (checked at every use), not on the provider's browser cookie or offline_access.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: settings.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: settings.accessTokenTtlSeconds,
      DeviceCode: 600,
      Interaction: 3600,
      Session: settings.refreshTokenTtlSeconds,
      Grant: settings.refreshTokenTtlSeconds,
      RefreshToken: settings.refreshTokenTtlSeconds,
    },
    loadExistingGrant: async (ctx: OidcContext) => {
      const clientId = ctx.oidc.client!.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !(await nats.send(OidcSubjects.accountGet, { userId: accountId, clientId }, { retries: 1 })).granted)
        return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
      if (grantId) {
        // A grant whose device session ended asks for a sign-in again.
        return (await deviceSessionAlive(nats, grantId)) ? ctx.oidc.provider.Grant.find(grantId) : undefined;
      }
      return firstPartyGrant(nats, ctx);
    },
    renderError: (ctx: { type: string; body: string }, out: { error: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><meta charset="utf-8"><title>Sign-in error</title><h1>Sign-in error</h1><p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p>`;
    },
  };
}

type ClientRef = { clientId: string };
const ownToken = async (_ctx: unknown, client: ClientRef, token: ClientRef) => token.clientId === client.clientId;
