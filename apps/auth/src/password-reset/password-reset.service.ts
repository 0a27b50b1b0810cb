import { Inject, Injectable } from '@nestjs/common';
import { ReplyOf, User } from '@gatehouse/contracts';
import { randomSecret, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import type { AuthConfig } from '../config';
import { PasswordsService } from '../passwords/passwords.service';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { PasswordResetsRepository } from './password-resets.repository';

/**
 * Seed 000 "Resetting passwords": the answer never says whether the account exists; the link sets
 * one new password within its lifetime; it does not log in; the user is told the password changed.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly resets: PasswordResetsRepository,
    private readonly passwords: PasswordsService,
    private readonly settings: AuthSettingsService,
    private readonly audit: AuditService,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async request(login: string, ip: string): Promise<ReplyOf<'auth.password-reset.request'>> {
    const settings = await this.settings.get();
    if (!settings.passwordReset || settings.type === 'oauth2') throw new AppError('password_reset_disabled', 'Password reset is turned off');
    const { user } = await this.nats.send('directory.user.find-by-login', { login, defaultDomain: this.config.GATEHOUSE_DOMAIN });
    // The answer leaves before the mail work: known and unknown logins look the same from outside.
    if (user?.email && !user.external) {
      void this.sendLink(user, ip, settings.passwordResetTtlSeconds).catch((error: unknown) =>
        this.logger.warn({ err: error, userId: user.id }, 'password reset mail not queued'),
      );
    }
    return { accepted: true };
  }

  async complete(token: string, newPassword: string, endOtherSessions: boolean, ip: string): Promise<ReplyOf<'auth.password-reset.complete'>> {
    const tokenHash = sha256(token);
    const userId = await this.resets.redeem(tokenHash, this.clock.now());
    if (!userId) throw new AppError('reset_link_invalid', 'This reset link has expired or has already been used');
    try {
      await this.passwords.set(userId, newPassword);
    } catch (error) {
      // A refused password (too short, too common) must not burn the link.
      await this.resets.release(tokenHash);
      throw error;
    }
    const sessionsEnded = endOtherSessions ? (await this.nats.send('sessions.session.revoke-all-of-user', { userId })).revoked : 0;
    await this.audit.record({ type: 'password_reset', outcome: 'changed', userId, ip, details: { sessionsEnded } });
    const { user } = await this.nats.send('directory.user.get', { userId });
    if (user?.email) {
      await this.nats
        .send('mailer.mail.send', {
          kind: 'passwordChanged',
          to: user.email,
          language: user.language,
          data: { displayName: user.displayName || user.username, time: this.clock.now().toISOString(), ip },
          idempotencyKey: `password-changed:${tokenHash}`,
        })
        .catch((error: unknown) => this.logger.warn({ err: error, userId }, 'password-changed mail not queued'));
    }
    return { changed: true, sessionsEnded };
  }

  async linkUsable(token: string): Promise<boolean> {
    return this.resets.isRedeemable(sha256(token), this.clock.now());
  }

  private async sendLink(user: User, ip: string, ttlSeconds: number): Promise<void> {
    const token = randomSecret();
    const now = this.clock.now();
    await this.resets.create(sha256(token), user.id, now, new Date(now.getTime() + ttlSeconds * 1000));
    await this.audit.record({ type: 'password_reset', outcome: 'requested', userId: user.id, ip });
    await this.nats.send('mailer.mail.send', {
      kind: 'passwordReset',
      to: user.email!,
      language: user.language,
      data: { displayName: user.displayName || user.username, token, expiresMinutes: Math.round(ttlSeconds / 60) },
      idempotencyKey: `password-reset:${sha256(token)}`,
    });
  }
}
