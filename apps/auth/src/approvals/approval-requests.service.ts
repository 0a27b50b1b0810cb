import { Injectable, Inject } from '@nestjs/common';
import {
  AuthSettings,
  Device,
  LoginMethod,
  PendingLoginRes,
  User,
  ApprovalSubjects,
  SessionsSubjects,
  MailerSubjects,
} from '@gatehouse/contracts';
import { randomDigits, randomSecret, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import type { LoginRequest } from '../sessions-client/session-starter';
import { ApprovalLimiter } from './approval-limiter';
import { ApprovalMetrics } from './approval-metrics';
import { toView } from './pending-login';
import { PendingLogin, PendingLoginsRepository } from './pending-logins.repository';

/** NIST SP 800-63B-4 wants at least 6 digits for a transferred code; compare mode uses the same. */
const CODE_DIGITS = 6;
type Channel = 'session' | 'email';

/**
 * Seed 000 "Two-factor authentication", the request: a new device whose secret was proven waits; the
 * user's signed-in devices are told at once and, with email set up, the user gets a link.
 */
@Injectable()
export class ApprovalRequestsService {
  constructor(
    private readonly pending: PendingLoginsRepository,
    private readonly limiter: ApprovalLimiter,
    private readonly metrics: ApprovalMetrics,
    private readonly audit: AuditService,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** A pending login, or null when the user has no way to approve and the policy lets such users in. */
  async request(user: User, req: LoginRequest, method: LoginMethod, settings: AuthSettings): Promise<PendingLoginRes | null> {
    const channels = await this.channelsOf(user);
    if (channels.length === 0) {
      if (settings.allowLoginWithoutApprovalPath) return null;
      throw new AppError(
        'approval_unavailable',
        'This login needs approval, but the account has no signed-in device and no email address',
        {
          approvalChannels: [],
        },
      );
    }
    await this.limiter.take(user.id);
    const now = this.clock.now();
    const pollToken = randomSecret();
    const emailToken = channels.includes('email') ? randomSecret() : null;
    const row = await this.pending.create({
      userId: user.id,
      securityCode: randomDigits(CODE_DIGITS),
      pollTokenHash: sha256(pollToken),
      emailTokenHash: emailToken ? sha256(emailToken) : null,
      mode: settings.approvalMode,
      method,
      device: req.device,
      application: req.application,
      subid: req.subid ?? null,
      ip: req.ip,
      createdAt: now,
      expiresAt: new Date(now.getTime() + settings.pendingTtlSeconds * 1000),
    });
    this.metrics.count('requested');
    await this.audit.record({
      type: 'approval',
      outcome: 'requested',
      userId: user.id,
      login: user.username,
      ip: req.ip,
      details: { pendingId: row.id, channels },
    });
    await this.nats.emit(ApprovalSubjects.requested, { userId: user.id, approval: toView(row) });
    if (emailToken && user.email) await this.mailApproval(user, row, emailToken);
    return {
      status: 'pending',
      pendingId: row.id,
      securityCode: row.securityCode,
      pollToken,
      expiresAt: row.expiresAt.toISOString(),
      approvalChannels: channels,
    };
  }

  /** Ended pending logins are kept a day (late polls learn the outcome), then deleted. */
  async deleteEnded(): Promise<number> {
    return this.pending.deleteEndedBefore(new Date(this.clock.nowMs() - 24 * 3600_000));
  }

  private async channelsOf(user: User): Promise<Channel[]> {
    const [{ sessions }, mail] = await Promise.all([
      this.nats.send(SessionsSubjects.list, { userId: user.id }),
      user.email
        ? this.nats.send(MailerSubjects.configGet, { actor: { kind: 'system', service: 'auth' } }).catch(() => ({ config: null }))
        : Promise.resolve({ config: null }),
    ]);
    return [...(sessions.length > 0 ? (['session'] as const) : []), ...(mail.config ? (['email'] as const) : [])];
  }

  private async mailApproval(user: User, row: PendingLogin, token: string): Promise<void> {
    const device = row.device as Device;
    await this.nats
      .send(MailerSubjects.mailSend, {
        kind: 'approvalRequest',
        to: user.email!,
        language: user.language,
        data: {
          displayName: user.displayName || user.username,
          device: `${device.name} (${device.platform})`,
          ip: row.ip,
          time: row.createdAt.toISOString(),
          securityCode: row.securityCode,
          token,
        },
        idempotencyKey: `approval:${row.id}`,
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error, pendingId: row.id }, 'approval mail not queued; signed-in devices can still approve'),
      );
  }
}
