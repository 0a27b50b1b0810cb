import { Inject, Injectable } from '@nestjs/common';
import { Actor, actsForInstallation, actsInDomain } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG } from '@gatehouse/platform';
import type { DirectoryConfig } from './config';

/** No domain reaches it: an id-addressed request whose `domain` lies outside the actor's. */
export const NOWHERE = Symbol('nowhere');

/**
 * Which domains an administrator's request reaches. Installation administrators (those of
 * GATEHOUSE_DOMAIN) and the installation itself reach every domain; other administrators their own.
 * Repositories filter by it (`where: { id, domain }`), so a user of another domain looks absent.
 */
@Injectable()
export class AdminScope {
  constructor(@Inject(CONFIG) private readonly config: DirectoryConfig) {}

  /**
   * The domain filter for a request naming one object by id: undefined reaches every domain.
   * `domain`, a filter the caller named itself, narrows it further.
   */
  filter(actor: Actor | undefined, domain?: string): string | undefined | typeof NOWHERE {
    const own = this.reach(actor);
    if (own !== undefined && domain !== undefined && own !== domain) return NOWHERE;
    return own ?? domain;
  }

  /** The one domain the actor reaches, or undefined for every domain. */
  reach(actor: Actor | undefined): string | undefined {
    return !actor || actor.kind === 'system' || actsForInstallation(actor, this.config.GATEHOUSE_DOMAIN) ? undefined : actor.domain;
  }

  /** A request naming a domain (a list, a new user): refused outright outside the actor's domains. */
  assertDomain(actor: Actor | undefined, domain: string): void {
    if (actor && !actsInDomain(actor, this.config.GATEHOUSE_DOMAIN, domain)) {
      throw new AppError('forbidden', `Administrators of ${actor.kind === 'admin' ? actor.domain : 'this domain'} manage only that domain`);
    }
  }
}
