import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { guardedFetch, LOGGER, Logger, OutboundPolicy, OutboundRefusedError } from '@gatehouse/platform';

/** Every failed check answers after this long, so a closed port cannot be told from a silent one by the time it takes. */
export const ISSUER_PROBE_TIMEOUT_MS = 5000;

/**
 * Fetches the issuer's discovery document so a wrong issuer is reported when it is saved. The answer
 * is the same for every failure (closed port, another service, an error page, a document for another
 * issuer): what was fetched goes to the federation log only, so the check cannot map the network.
 */
@Injectable()
export class IssuerProbe {
  constructor(
    private readonly outbound: OutboundPolicy,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async check(issuer: string): Promise<void> {
    const started = Date.now();
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; code_challenge_methods_supported?: unknown };
    try {
      const response = await guardedFetch(this.outbound)(url, { signal: AbortSignal.timeout(ISSUER_PROBE_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = (await response.json()) as typeof document;
      if (document?.issuer !== issuer) throw new Error(`the discovery document names issuer ${String(document?.issuer).slice(0, 200)}`);
    } catch (error) {
      if (error instanceof OutboundRefusedError) {
        this.logger.warn({ event: 'federation.issuer_refused', issuer, address: error.address }, error.message);
        throw new AppError(
          'outbound_not_allowed',
          'The OIDC issuer is on a loopback, link-local or private address, which this installation does not allow',
          {
            field: 'oidc.issuer',
          },
        );
      }
      this.logger.warn(
        { event: 'federation.issuer_unreachable', issuer },
        `OIDC issuer check failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      await sleep(started + ISSUER_PROBE_TIMEOUT_MS - Date.now());
      throw new AppError(
        'validation_failed',
        'No valid OpenID Connect discovery document for this issuer could be fetched; the federation log has the details',
        {
          field: 'oidc.issuer',
          reason: 'issuer_unreachable',
        },
      );
    }
    if (!offersS256(document.code_challenge_methods_supported)) {
      throw new AppError('validation_failed', 'The OIDC provider does not offer PKCE with S256, which Gatehouse requires', {
        field: 'oidc.issuer',
      });
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Logins always use PKCE S256; a provider that lists its PKCE methods without S256 cannot take part. Not listing them is allowed. */
export const offersS256 = (methods: unknown): boolean => !Array.isArray(methods) || methods.includes('S256');
