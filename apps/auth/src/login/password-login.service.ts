import { Inject, Injectable } from '@nestjs/common';
import { ActiveLoginRes, ParsedRequestOf, User } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, NatsClient } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { AuditService } from '../audit/audit.service';
import { ExternalUsersService } from '../external-users/external-users.service';
import { CredentialsRepository } from '../passwords/credentials.repository';
import { HashingPool } from '../passwords/hashing-pool';
import { LoginThrottle } from '../throttle/login-throttle';
import { SessionStarter } from './session-starter';

type LoginReq = ParsedRequestOf<'auth.login.password'>;

/**
 * Password login: find the user, reserve an attempt, verify (a dummy hash for unknown users, so
 * both cost the same and get the same answer), then hand the decided login to SessionStarter.
 */
@Injectable()
export class PasswordLoginService {
  constructor(
    private readonly nats: NatsClient,
    private readonly throttle: LoginThrottle,
    private readonly credentials: CredentialsRepository,
    private readonly hashing: HashingPool,
    private readonly externalUsers: ExternalUsersService,
    private readonly audit: AuditService,
    private readonly sessions: SessionStarter,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  async login(req: LoginReq): Promise<ActiveLoginRes> {
    const { user } = await this.nats.send('directory.user.find-by-login', { login: req.username, defaultDomain: this.config.GATEHOUSE_DOMAIN });
    const who = { userId: user?.id ?? null, login: req.username, ip: req.ip };
    const reservation = await this.throttle.reserve(LoginThrottle.accountKey(user?.id ?? null, req.username), req.ip).catch(async (error: unknown) => {
      if (error instanceof AppError && error.code === 'rate_limited') await this.audit.record({ type: 'login', outcome: 'throttled', ...who });
      throw error;
    });
    const matches = await this.secretMatches(user, req.password);
    if (!user || !matches) {
      await this.audit.record({ type: 'login', outcome: 'failure', ...who, details: { failures: reservation.accountFails } });
      if (reservation.lockMs > 0) {
        await this.audit.record({ type: 'lockout', outcome: 'locked', ...who, details: { failures: reservation.accountFails, waitMs: reservation.lockMs } });
      }
      throw new AppError('invalid_credentials', 'Wrong username or password');
    }
    await this.throttle.succeeded(reservation);
    await this.audit.record({ type: 'login', outcome: 'success', ...who });
    // Two-factor (issue 5) goes here: a pending login instead of a session.
    return this.sessions.start(user, req);
  }

  private async secretMatches(user: User | null, password: string): Promise<boolean> {
    if (user?.external) return this.externalUsers.consume(user.id, password);
    const hash = user ? await this.credentials.hashOf(user.id) : null;
    // Unknown users and users without a password are checked against a dummy hash: same cost.
    const matches = await this.hashing.verify(hash, password);
    return hash !== null && matches;
  }
}
