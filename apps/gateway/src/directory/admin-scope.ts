import { Inject, Injectable } from '@nestjs/common';
import type { AdminActor } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG } from '@gatehouse/platform';
import type { GatewayConfig } from '../config';
import type { Principal } from '../auth/principal';

/**
 * The acting administrator as services receive it: the service that owns the data checks the
 * domain against its own GATEHOUSE_DOMAIN, so the gateway only passes the principal on.
 */
export const adminActor = (principal: Principal): AdminActor => ({ kind: 'admin', userId: principal.userId, domain: principal.domain });

/**
 * An administrator's request in a domain: the one named, or the administrator's own. The owning
 * service decides whether the actor may act there (forbidden otherwise).
 */
export const inDomain = (principal: Principal, requested?: string) => ({
  actor: adminActor(principal),
  domain: requested ?? principal.domain,
});

/**
 * Which domain an admin request acts in. Administrators of the installation's default domain
 * (GATEHOUSE_DOMAIN) manage every domain; administrators of another domain manage only their own.
 */
@Injectable()
export class AdminScope {
  constructor(@Inject(CONFIG) private readonly config: GatewayConfig) {}

  /** The requested domain, or the admin's own when none is named. */
  domain(principal: Principal, requested?: string): string {
    const domain = requested ?? principal.domain;
    if (domain !== principal.domain && principal.domain !== this.config.GATEHOUSE_DOMAIN) {
      throw new AppError('forbidden', `Administrators of ${principal.domain} manage only that domain`);
    }
    return domain;
  }
}
