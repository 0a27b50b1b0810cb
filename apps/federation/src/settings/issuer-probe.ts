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
    const discovered = (body as { issuer?: unknown }).issuer;
    if (discovered !== issuer) {
      throw new AppError('validation_failed', `The discovery document names issuer ${String(discovered)}, not ${issuer}`, { field: 'oidc.issuer' });
    }
  }
}
