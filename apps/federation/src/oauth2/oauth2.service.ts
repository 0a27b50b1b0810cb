import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { DirectorySubjects } from '@gatehouse/contracts';
import { offersS256 } from '../settings/issuer-probe';
import { SettingsService } from '../settings/settings.service';
import { IdentitiesRepository } from './identities.repository';
import { directoryLogins } from './login-mapping';
import { OAuth2FlowsRepository } from './oauth2-flows.repository';
import { OidcClient } from './oidc-client';
import { checkReturnTo } from './return-to';

export const PBX_DOMAIN = Symbol('PBX_DOMAIN');
/** Long enough to type a password at the provider, short enough that a leaked state soon dies. */
const FLOW_TTL_MS = 10 * 60_000;

export interface CallbackResult {
  identity: { issuer: string; subject: string; email?: string; upn?: string };
  userId: string | null;
  returnTo: string;
}

@Injectable()
export class OAuth2Service {
  constructor(
    private readonly settings: SettingsService,
    private readonly oidc: OidcClient,
    private readonly flows: OAuth2FlowsRepository,
    private readonly identities: IdentitiesRepository,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(PBX_DOMAIN) private readonly pbxDomain: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(returnTo: string): Promise<string> {
    const settings = await this.settings.oidc();
    const target = checkReturnTo(returnTo, settings.allowedOrigins);
    const configuration = await this.oidc.configuration(settings);
    if (!offersS256(configuration.serverMetadata().code_challenge_methods_supported))
      throw failed('the provider does not offer PKCE with S256');
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await this.flows.deleteExpired(this.clock.now());
    await this.flows.create({
      stateHash: sha256(state),
      nonce,
      codeVerifier,
      returnTo: target,
      expiresAt: new Date(this.clock.nowMs() + FLOW_TTL_MS),
    });
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return url.toString();
  }

  async callback(query: string): Promise<CallbackResult> {
    const settings = await this.settings.oidc();
    // The redirect URI is ours from the settings, never taken from a request's Host header.
    const currentUrl = new URL(settings.redirectUri);
    currentUrl.search = query;
    const state = currentUrl.searchParams.get('state');
    const flow = state ? await this.flows.take(sha256(state)) : null;
    if (!flow || flow.expiresAt.getTime() <= this.clock.nowMs()) throw failed('unknown, used or expired state');
    const providerError = currentUrl.searchParams.get('error');
    if (providerError) throw failed(`the provider answered ${providerError.slice(0, 100)}`);

    const configuration = await this.oidc.configuration(settings);
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: state!,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      // A forged or misdirected token is a security event: say why it was refused (no token in the line).
      const reason = describe(error);
      this.logger.warn({ event: 'oauth2.token_refused', reason }, 'OAuth2 token exchange or ID token refused');
      throw failed(reason);
    }
    if (!claims) throw failed('no ID token');

    const identity = {
      issuer: claims.iss,
      subject: claims.sub,
      // Only an address the provider says it verified may map to an account (OIDC Core 5.1: absent is not verified).
      ...(typeof claims.email === 'string' && claims.email_verified === true ? { email: claims.email } : {}),
      ...(typeof claims.upn === 'string' ? { upn: claims.upn } : {}),
    };
    const row = await this.identities.record(identity.issuer, identity.subject, identity.email ?? null, identity.upn ?? null);
    const userId = row.userId ?? (await this.mapToUser(row.id, identity, settings.oauth2Domain));
    return { identity, userId, returnTo: flow.returnTo };
  }

  private async mapToUser(
    identityId: string,
    identity: { email?: string; upn?: string },
    oauth2Domain: string | null,
  ): Promise<string | null> {
    for (const login of directoryLogins(identity, oauth2Domain, this.pbxDomain)) {
      const { user } = await this.nats.send(DirectorySubjects.userFindByLogin, { login, defaultDomain: this.pbxDomain });
      if (user && !user.external) return this.identities.link(identityId, user.id);
    }
    return null;
  }
}

/** openid-client's messages are generic; the specific check that failed is in the cause or the provider's error body. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'token exchange failed';
  const body =
    error instanceof client.ResponseBodyError ? ` (${error.error}${error.error_description ? `: ${error.error_description}` : ''})` : '';
  const cause = error.cause instanceof Error && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${body}${cause}`.slice(0, 300);
}

const failed = (reason: string) => new AppError('oauth2_failed', 'The OAuth2 login could not be completed', { reason });
