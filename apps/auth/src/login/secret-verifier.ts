import { Inject, Injectable } from '@nestjs/common';
import { AuthType, LoginMethod, NetlogonRefusal, User, allows, FederationSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { ExternalUsersService } from '../external-users/external-users.service';
import { CredentialsRepository } from '../passwords/credentials.repository';
import { HashingPool } from '../passwords/hashing-pool';
import { OpaqueService } from '../opaque/opaque.service';

/** The domain controller refused the account for another reason than a wrong password (AD sub-code, group). */
export class NetlogonRefusedError extends Error {
  constructor(readonly refusal: NetlogonRefusal) {
    super(`Netlogon refused: ${refusal.code}`);
    this.name = 'NetlogonRefusedError';
  }
}

/**
 * Checks a typed password against the one source that is the user's: the PBX password (argon2id; a
 * dummy hash for unknown users, so both cost the same) or the Windows domain password through
 * `federation`. Under pbx+netlogon a user with a PBX password signs in with it, and one without with
 * the Windows password, so a PBX typo never becomes a failed bind that AD counts towards lockout.
 * Only known, non-external users ever reach the domain controller. Returns the method that matched,
 * or null; throws NetlogonRefusedError, netlogon_unavailable or rate_limited (federation's guard).
 */
@Injectable()
export class SecretVerifier {
  constructor(
    private readonly nats: NatsClient,
    private readonly credentials: CredentialsRepository,
    private readonly hashing: HashingPool,
    private readonly externalUsers: ExternalUsersService,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly opaque: OpaqueService,
  ) {}

  /** `windowsDomain`: the user was named in a Windows form (`CORP\\alice`): only the domain password can match. */
  async verify(
    type: AuthType,
    user: User | null,
    login: string,
    password: string,
    windowsDomain?: string,
    pbxPlainLogin = true,
  ): Promise<LoginMethod | null> {
    // Seed 002: an external user has no password of its own, whatever the installation's type.
    if (user?.external) return (await this.externalUsers.consume(user.id, password)) ? 'password' : null;
    const { pbxPassword, windowsPassword } = allows(type);
    const sources = { pbx: pbxPassword, netlogon: windowsPassword };
    const hash = user ? await this.credentials.hashOf(user.id) : null;
    // Issue 22: a PBX password is an OPAQUE record, or an argon2id hash not yet migrated.
    const record = user && hash === null ? await this.opaque.recordOf(user.id) : null;
    const domainUser = sources.netlogon && user !== null && !(sources.pbx && (hash !== null || record !== null));
    if (domainUser) return (await this.domainPasswordMatches(user, password, windowsDomain)) ? 'netlogon' : null;
    if (sources.pbx && !pbxPlainLogin)
      throw new AppError(
        'plain_login_disabled',
        'PBX passwords are not accepted on this route: sign in with OPAQUE (the web client does) or a passkey',
      );
    // Unknown users, and names no source accepts, cost one check like a wrong PBX password (a fake OPAQUE record).
    if (sources.pbx && windowsDomain === undefined && hash === null) {
      return (await this.opaque.checkPlain(user?.id ?? null, login, record, password)) ? 'password' : null;
    }
    const pbxHash = sources.pbx && windowsDomain === undefined ? hash : null;
    return (await this.pbxPasswordMatches(user, pbxHash, password)) ? 'password' : null;
  }

  private async pbxPasswordMatches(user: User | null, hash: string | null, password: string): Promise<boolean> {
    const matches = await this.hashing.verify(hash, password);
    // The first plain login after the upgrade turns the argon2id hash into an OPAQUE record.
    if (hash !== null && matches) this.opaque.migrate(user!.id, hash, password);
    return hash !== null && matches;
  }

  /** The domain controller decides; federation binds the account named by this user's name or email, and it must be this user. */
  private async domainPasswordMatches(user: User, password: string, windowsDomain?: string): Promise<boolean> {
    const request = { username: user.username, email: user.email, password, ...(windowsDomain ? { domain: windowsDomain } : {}) };
    const result = await this.nats.send(FederationSubjects.netlogonVerify, request).catch((error: unknown) => {
      if (error instanceof AppError && (error.code === 'netlogon_unavailable' || error.code === 'rate_limited')) throw error;
      // A password the domain controller could never accept (e.g. too long) is just a wrong one.
      if (error instanceof AppError && error.code === 'validation_failed') return { ok: false, identity: undefined };
      throw new AppError('netlogon_unavailable', 'The domain controller could not be asked');
    });
    if (!result.ok && 'refusal' in result && result.refusal) throw new NetlogonRefusedError(result.refusal);
    if (!result.ok || !result.identity) return false;
    const same = (a: string | undefined | null, b: string | undefined | null) => !!a && !!b && a.toLowerCase() === b.toLowerCase();
    const { identity } = result;
    return (
      same(identity.username, user.username) ||
      same(identity.email, user.email) ||
      same(identity.upn, user.email) ||
      same(identity.upn?.split('@')[0], user.username)
    );
  }
}
