import { Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';

/** Fetches the issuer's discovery document so a wrong issuer is reported when it is saved. */
@Injectable()
export class IssuerProbe {
  async check(issuer: string): Promise<void> {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let body: unknown;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new AppError('validation_failed', `The OIDC issuer's discovery document could not be fetched from ${url}`, {
        field: 'oidc.issuer',
        reason: error instanceof Error ? error.message : 'unknown',
      });
    }
    const document = body as { issuer?: unknown; code_challenge_methods_supported?: unknown };
    if (document.issuer !== issuer) {
      throw new AppError('validation_failed', `The discovery document names issuer ${String(document.issuer)}, not ${issuer}`, { field: 'oidc.issuer' });
    }
    if (!offersS256(document.code_challenge_methods_supported)) {
      throw new AppError('validation_failed', 'The OIDC provider does not offer PKCE with S256, which Gatehouse requires', { field: 'oidc.issuer' });
    }
  }
}

/** Logins always use PKCE S256; a provider that lists its PKCE methods without S256 cannot take part. Not listing them is allowed. */
export const offersS256 = (methods: unknown): boolean => !Array.isArray(methods) || methods.includes('S256');
