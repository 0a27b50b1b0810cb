import { Injectable } from '@nestjs/common';
import { OidcClientMetadata, OidcClientSettings, ReplyOf, oidcClientId } from '@gatehouse/contracts';
import { SecretBox } from '@gatehouse/crypto';
import { AppsRepository } from '../apps/apps.repository';
import { UserAppsRepository } from '../user-apps/user-apps.repository';
import { UsersRepository } from '../users/users.repository';

/** Apps as OpenID Connect clients, and users as the accounts that sign in to them. */
@Injectable()
export class OidcClientsService {
  constructor(
    private readonly apps: AppsRepository,
    private readonly users: UsersRepository,
    private readonly userApps: UserAppsRepository,
    private readonly box: SecretBox,
  ) {}

  /** Null for an unknown client, an app that is no OIDC client, or one without a shared secret. */
  async client(clientId: string): Promise<OidcClientMetadata | null> {
    const parsed = parseClientId(clientId);
    if (!parsed) return null;
    const row = await this.apps.find(parsed.domain, parsed.appId);
    if (!row?.oidcClient) return null;
    const settings = OidcClientSettings.parse(row.oidcClient);
    const keyAuth = settings.tokenEndpointAuthMethod === 'private_key_jwt';
    if (!keyAuth && row.secretEncrypted === '') return null;
    return {
      client_id: oidcClientId(row.appId, row.domain),
      ...(keyAuth ? { jwks: settings.jwks! } : { client_secret: this.box.open(row.secretEncrypted) }),
      client_name: row.longName,
      redirect_uris: settings.redirectUris,
      post_logout_redirect_uris: settings.postLogoutRedirectUris,
      ...(settings.backchannelLogoutUri
        ? { backchannel_logout_uri: settings.backchannelLogoutUri, backchannel_logout_session_required: true }
        : {}),
      token_endpoint_auth_method: settings.tokenEndpointAuthMethod,
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
    };
  }

  async account(userId: string, clientId?: string): Promise<ReplyOf<'directory.oidc-account.get'>> {
    const [user, usable] = await Promise.all([this.users.findById(userId), this.userApps.usable(userId)]);
    if (!user || !usable) return { account: null, granted: false };
    const parsed = clientId ? parseClientId(clientId) : null;
    const granted = !!parsed && parsed.domain === user.domain && usable.apps.some((app) => app.appId === parsed.appId);
    return {
      account: {
        userId: user.id,
        domain: user.domain,
        username: user.username,
        email: user.email,
        displayName: user.displayName,
        apps: usable.apps.map((app) => app.appId),
      },
      granted,
    };
  }
}

/** `appId@domain`; the app id has no `@`, so the last one splits. */
export function parseClientId(clientId: string): { appId: string; domain: string } | null {
  const at = clientId.lastIndexOf('@');
  if (at <= 0 || at === clientId.length - 1) return null;
  return { appId: clientId.slice(0, at), domain: clientId.slice(at + 1).toLowerCase() };
}
