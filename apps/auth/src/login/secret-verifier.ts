import { Inject, Injectable } from '@nestjs/common';
import { AuthType, User } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { ExternalUsersService } from '../external-users/external-users.service';
import { CredentialsRepository } from '../passwords/credentials.repository';
import { HashingPool } from '../passwords/hashing-pool';

/** Which secret proved the login; it decides whether two-factor approval still applies. */
export type LoginMethod = 'password' | 'netlogon' | 'oauth2';

/** Seed 001: what a password typed into the login form may be, per authentication type. */
const PASSWORD_SOURCES: Record<AuthType, { pbx: boolean; netlogon: boolean }> = {
  pbx: { pbx: true, netlogon: false },
  netlogon: { pbx: false, netlogon: true },
  'pbx+netlogon': { pbx: true, netlogon: true },
  oauth2: { pbx: false, netlogon: false },
  'pbx+oauth2': { pbx: true, netlogon: false },
};

export const passwordLoginAllowed = (type: AuthType): boolean => PASSWORD_SOURCES[type].pbx || PASSWORD_SOURCES[type].netlogon;

/**
 * Checks a typed password the ways the authentication type allows: the PBX password (argon2id; a
 * dummy hash for unknown users, so both cost the same) and/or the Windows domain password through
 * `federation`. Returns the method that matched, or null.
 */
@Injectable()
export class SecretVerifier {
  constructor(
    private readonly nats: NatsClient,
    private readonly credentials: CredentialsRepository,
    private readonly hashing: HashingPool,
    private readonly externalUsers: ExternalUsersService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async verify(type: AuthType, user: User | null, login: string, password: string): Promise<LoginMethod | null> {
    // Seed 002: an external user has no password of its own, whatever the installation's type.
    if (user?.external) return (await this.externalUsers.consume(user.id, password)) ? 'password' : null;
    const sources = PASSWORD_SOURCES[type];
    if (sources.pbx && (await this.pbxPasswordMatches(user, password))) return 'password';
    if (sources.netlogon && (await this.domainPasswordMatches(user, login, password))) return 'netlogon';
    return null;
  }

  private async pbxPasswordMatches(user: User | null, password: string): Promise<boolean> {
    const hash = user ? await this.credentials.hashOf(user.id) : null;
    const matches = await this.hashing.verify(hash, password);
    if (hash !== null && matches && this.hashing.outdated(hash)) this.rehash(user!.id, hash, password);
    return hash !== null && matches;
  }

  /** After a cost change, each password is hashed anew at its owner's next login; the login does not wait. */
  private rehash(userId: string, previous: string, password: string): void {
    void this.hashing
      .hash(password)
      .then((next) => this.credentials.replace(userId, previous, next))
      .catch((error: unknown) => this.logger.warn({ err: error, userId }, 'password hash not upgraded'));
  }

  /** The domain controller decides; its account must be this Gatehouse user (same name or email). */
  private async domainPasswordMatches(user: User | null, login: string, password: string): Promise<boolean> {
    const username = user?.username ?? login.split('@')[0];
    const result = await this.nats.send('federation.netlogon.verify', { username, password }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'netlogon_unavailable') throw error;
      // A password the domain controller could never accept (e.g. too long) is just a wrong one.
      if (error instanceof AppError && error.code === 'validation_failed') return { ok: false, identity: undefined };
      throw new AppError('netlogon_unavailable', 'The domain controller could not be asked');
    });
    if (!result.ok || !result.identity || !user) return false;
    const same = (a: string | undefined | null, b: string | undefined | null) => !!a && !!b && a.toLowerCase() === b.toLowerCase();
    const { identity } = result;
    return same(identity.username, user.username) || same(identity.email, user.email) || same(identity.upn?.split('@')[0], user.username);
  }
}
