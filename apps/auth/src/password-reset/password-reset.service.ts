import { Inject, Injectable } from '@nestjs/common';
import { ReplyOf, User, allows, DirectorySubjects, SessionsSubjects, MailerSubjects } from '@gatehouse/contracts';
import { randomSecret, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditService } from '../audit/audit.service';
import type { AuthConfig } from '../config';
import { PasswordsService } from '../passwords/passwords.service';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { PasswordResetsRepository } from './password-resets.repository';
import { ResetAddressLimiter } from './reset-address-limiter';

/**
 * Seed 000 "Resetting passwords": the answer never says whether the account exists; the link sets
 * one new password within its lifetime; it does not log in; the user is told the password changed.
 * Only the newest link of a user works, and none once the password has been set (README "Account
 * recovery and API keys"); reset mails are limited per account and requests per client address.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly resets: PasswordResetsRepository,
    private readonly passwords: PasswordsService,
    private readonly apiKeys: ApiKeysService,
    private readonly addressLimiter: ResetAddressLimiter,
    private readonly settings: AuthSettingsService,
    private readonly audit: AuditService,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async request(login: string, ip: string): Promise<ReplyOf<'auth.password-reset.request'>> {
    const settings = await this.settings.get();
    if (!settings.passwordReset || !allows(settings.type).passwordForm)
      throw new AppError('password_reset_disabled', 'Password reset is turned off');
    if (await this.addressOverLimit(ip)) return { accepted: true };
    const { user } = await this.nats.send(DirectorySubjects.userFindByLogin, { login, defaultDomain: this.config.GATEHOUSE_DOMAIN });
    // The answer leaves before the mail work: known and unknown logins look the same from outside.
    if (user?.email && !user.external) {
      void this.sendLink(user, ip, settings.passwordResetTtlSeconds).catch((error: unknown) =>
        this.logger.warn({ err: error, userId: user.id }, 'password reset mail not queued'),
      );
    }
    return { accepted: true };
  }

  async complete(
    token: string,
    newPassword: string,
    endOtherSessions: boolean,
    ip: string,
  ): Promise<ReplyOf<'auth.password-reset.complete'>> {
    const tokenHash = sha256(token);
    const userId = await this.resets.redeem(tokenHash, this.clock.now());
    if (!userId) throw new AppError('reset_link_invalid', 'This reset link has expired, has been used, or was replaced by a newer one');
    try {
      // Setting the password also voids the user's other reset links (PasswordsService.set).
      await this.passwords.set(userId, newPassword);
    } catch (error) {
      // A refused password (too short, too common) must not burn the link.
      await this.resets.release(tokenHash);
      throw error;
    }
    // "Log out all my devices" means someone else may have been in: their API keys go with their sessions.
    const sessionsEnded = endOtherSessions ? (await this.nats.send(SessionsSubjects.revokeAllOfUser, { userId })).revoked : 0;
    const apiKeysRevoked = endOtherSessions ? await this.apiKeys.revokeAllOf(userId) : 0;
    await this.audit.record({ type: 'password_reset', outcome: 'changed', userId, ip, details: { sessionsEnded, apiKeysRevoked } });
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId });
    if (user?.email) {
      await this.nats
        .send(MailerSubjects.mailSend, {
          kind: 'passwordChanged',
          to: user.email,
          language: user.language,
          data: { displayName: user.displayName || user.username, time: this.clock.now().toISOString(), ip },
          idempotencyKey: `password-changed:${tokenHash}`,
        })
        .catch((error: unknown) => this.logger.warn({ err: error, userId }, 'password-changed mail not queued'));
    }
    return { changed: true, sessionsEnded, apiKeysRevoked };
  }

  async linkUsable(token: string): Promise<boolean> {
    return this.resets.isRedeemable(sha256(token), this.clock.now());
  }

  /** Past the address's limit the request is logged and dropped, before any lookup (the answer stays 202). */
  private async addressOverLimit(ip: string): Promise<boolean> {
    let count: number;
    try {
      count = await this.addressLimiter.count(ip);
    } catch (error) {
      // Redis away: the per-account limit (PostgreSQL) still bounds the mails.
      this.logger.warn({ err: error }, 'password reset address limit unavailable');
      return false;
    }
    if (count <= this.addressLimiter.limit) return false;
    this.logger.warn(
      { event: 'password_reset.throttled', limit: 'address', ip, count },
      'password reset request not handled: address limit reached',
    );
    // One audit row per address and window, so a flood does not become a flood of writes.
    if (count === this.addressLimiter.limit + 1)
      await this.audit.record({ type: 'password_reset', outcome: 'throttled', ip, details: { limit: 'address' } });
    return true;
  }

  private async sendLink(user: User, ip: string, ttlSeconds: number): Promise<void> {
    const token = randomSecret();
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - this.config.PASSWORD_RESET_WINDOW_MS);
    const link = { tokenHash: sha256(token), userId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
    if (!(await this.resets.issue(link, this.config.PASSWORD_RESET_ACCOUNT_LIMIT, windowStart))) {
      this.logger.warn(
        { event: 'password_reset.throttled', limit: 'account', userId: user.id, ip },
        'password reset not mailed: account limit reached',
      );
      await this.audit.record({ type: 'password_reset', outcome: 'throttled', userId: user.id, ip, details: { limit: 'account' } });
      return;
    }
    await this.audit.record({ type: 'password_reset', outcome: 'requested', userId: user.id, ip });
    await this.nats.send(MailerSubjects.mailSend, {
      kind: 'passwordReset',
      to: user.email!,
      language: user.language,
      data: { displayName: user.displayName || user.username, token, expiresMinutes: Math.round(ttlSeconds / 60) },
      idempotencyKey: `password-reset:${sha256(token)}`,
    });
  }
}
