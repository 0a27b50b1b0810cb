import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { AppError } from '@gatehouse/errors';
import { guardedFetch, LOGGER, Logger, OutboundPolicy } from '@gatehouse/platform';
import { OidcSettings } from '../settings/settings.service';

/** Discovered provider configurations, one per (issuer, client, secret), so discovery runs once. */
@Injectable()
export class OidcClient {
  private readonly cache = new Map<string, Promise<client.Configuration>>();

  constructor(
    private readonly outbound: OutboundPolicy,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  configuration(settings: OidcSettings): Promise<client.Configuration> {
    const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret ?? '']);
    let found = this.cache.get(key);
    if (!found) {
      found = this.discover(settings);
      // A failed discovery is not cached: the next login tries again.
      found.catch(() => this.cache.delete(key));
      this.cache.set(key, found);
    }
    return found;
  }

  private async discover(settings: OidcSettings): Promise<client.Configuration> {
    const issuer = new URL(settings.issuer);
    // Plain http only for a provider on this machine (development and tests).
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    try {
      return await client.discovery(
        issuer,
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(),
        {
          // Check the ID token's signature against the provider's published keys too: openid-client
          // otherwise trusts the TLS channel alone, and a token signed by anyone else would pass.
          execute: [client.enableNonRepudiationChecks, ...(issuer.protocol === 'http:' && loopback ? [client.allowInsecureRequests] : [])],
          timeout: 10,
          // Discovery, JWKS and token requests all connect only to addresses OUTBOUND_ALLOWED_NETWORKS allows.
          [client.customFetch]: guardedFetch(this.outbound) as client.CustomFetch,
        },
      );
    } catch (error) {
      // What the provider's address answered is for the log, not for whoever started the login.
      this.logger.warn(
        { event: 'oauth2.discovery_failed', issuer: settings.issuer },
        `OIDC discovery failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new AppError('oauth2_failed', 'The OAuth2 provider could not be discovered', { reason: 'discovery_failed' });
    }
  }
}
