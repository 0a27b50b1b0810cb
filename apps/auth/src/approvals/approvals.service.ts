import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { ApprovalView, AuthSettings, Device, PendingLoginRes, PendingStatus, ReplyOf, User } from '@gatehouse/contracts';
import { constantTimeEqual, randomDigits, randomSecret, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, LOGGER, Logger, Metrics, NatsClient } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import type { AuthConfig } from '../config';
import type { LoginMethod } from '../login/secret-verifier';
import { LoginRequest, SessionStarter } from '../login/session-starter';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { ApprovalLimiter } from './approval-limiter';
import { PendingLogin, PendingLoginsRepository } from './pending-logins.repository';

/** NIST SP 800-63B-4 wants at least 6 digits for a transferred code; compare mode uses the same. */
const CODE_DIGITS = 6;

/**
 * Seed 000 "Two-factor authentication": a new device waits until a signed-in device of the user, or
 * the emailed link, accepts it after comparing (or, in `transfer` mode, typing) the security code.
 */
@Injectable()
export class ApprovalsService {
  constructor(
    private readonly pending: PendingLoginsRepository,
    private readonly limiter: ApprovalLimiter,
    private readonly sessions: SessionStarter,
    private readonly audit: AuditService,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly settings: AuthSettingsService,
  ) {
    const { pending: logins, clock: time } = this;
    // Counted in PostgreSQL at scrape time, so every replica reports the same, whole figure.
    new Gauge({
      name: 'gatehouse_pending_approvals',
      help: 'Logins waiting for approval right now',
      registers: [metrics.registry],
      async collect() {
        const waiting = await logins.countWaiting(time.now()).catch(() => null);
        if (waiting !== null) this.set(waiting);
      },
    });
  }

  /** A pending login, or null when the user has no way to approve and the policy lets such users in. */
  async start(user: User, req: LoginRequest, method: LoginMethod, settings: AuthSettings): Promise<PendingLoginRes | null> {
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
    this.counter().inc({ outcome: 'requested' });
    await this.audit.record({
      type: 'approval',
      outcome: 'requested',
      userId: user.id,
      login: user.username,
      ip: req.ip,
      details: { pendingId: row.id, channels },
    });
    await this.nats.emit('auth.approval.requested', { userId: user.id, approval: toView(row) });
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

  /** What the waiting device learns; the first read after approval starts its session, once. */
  async status(pendingId: string, pollToken: string): Promise<ReplyOf<'auth.pending.status'>> {
    const row = await this.byPollToken(pendingId, pollToken);
    const status = this.statusOf(row);
    if (status !== 'approved' || row.status === 'completed') return { status };
    if (!(await this.pending.claim(row.id, this.clock.now()))) return { status: this.statusOf((await this.pending.find(row.id)) ?? row) };
    try {
      const { user } = await this.nats.send('directory.user.get', { userId: row.userId });
      if (!user) throw new AppError('approval_not_found', 'The user no longer exists');
      const login = await this.sessions.start(user, toLoginRequest(row));
      return { status: 'approved', login };
    } catch (error) {
      // The session could not be made: give the device another chance to collect it.
      await this.pending.unclaim(row.id);
      throw error;
    }
  }

  /** The waiting device withdraws its login (Cancel): the approvers' dialogs close, the links stop working. */
  async cancel(pendingId: string, pollToken: string, ip: string): Promise<ReplyOf<'auth.pending.cancel'>> {
    const row = await this.byPollToken(pendingId, pollToken);
    if (!(await this.pending.decide(row.id, 'cancelled', this.clock.now())))
      return { status: this.statusOf((await this.pending.find(row.id)) ?? row) };
    this.counter().inc({ outcome: 'cancelled' });
    await this.audit.record({ type: 'approval', outcome: 'cancelled', userId: row.userId, ip, details: { pendingId: row.id } });
    await this.nats.emit('auth.approval.decided', { userId: row.userId, pendingId: row.id, status: 'cancelled' });
    return { status: 'cancelled' };
  }

  async verifyPoll(pendingId: string, pollToken: string): Promise<{ userId: string }> {
    const row = await this.byPollToken(pendingId, pollToken);
    return { userId: row.userId };
  }

  async waiting(userId: string): Promise<ApprovalView[]> {
    return (await this.pending.waitingOf(userId, this.clock.now())).map((row) => toView(row));
  }

  /** From a signed-in session of the same user; `passkeyId`: a passkey with user verification confirmed the accept (PasskeyLoginService). */
  async decideFromSession(req: {
    userId: string;
    sessionId: string;
    pendingId: string;
    decision: 'accept' | 'reject';
    code?: string;
    ip: string;
    passkeyId?: string;
  }) {
    const row = await this.pending.findOfUser(req.userId, req.pendingId);
    if (!row) throw new AppError('approval_not_found', 'No such login is waiting for approval');
    this.assertOpen(row);
    if (req.decision === 'accept') await this.requirePasskeyIfAsked(req.passkeyId);
    if (req.decision === 'accept' && row.mode === 'transfer') await this.checkTransferCode(row, req.code, req.ip);
    return this.decide(row, req.decision, {
      via: 'session',
      sessionId: req.sessionId,
      ip: req.ip,
      ...(req.passkeyId ? { passkeyId: req.passkeyId } : {}),
    });
  }

  /** Issue 22: with approvalRequiresPasskey an accept must come with a verified passkey (never a careless tap or a mail link). */
  private async requirePasskeyIfAsked(passkeyId: string | undefined): Promise<void> {
    if (passkeyId === undefined && (await this.settings.get()).approvalRequiresPasskey) {
      throw new AppError('passkey_required', 'Accepting a new device needs one of your passkeys (with its PIN or biometrics)');
    }
  }

  async emailView(token: string): Promise<ReplyOf<'auth.approval.email-view'>> {
    const row = await this.pending.findByEmailToken(sha256(token));
    if (!row) throw new AppError('approval_not_found', 'This link is not valid');
    return { approval: toView(row), status: this.statusOf(row), used: row.emailTokenUsed };
  }

  async emailDecide(token: string, decision: 'accept' | 'reject', ip: string, code?: string) {
    const tokenHash = sha256(token);
    const row = await this.pending.findByEmailToken(tokenHash);
    if (!row) throw new AppError('approval_not_found', 'This link is not valid');
    if (row.emailTokenUsed) throw new AppError('link_used', 'This link has already been used');
    this.assertOpen(row);
    if (decision === 'accept') await this.requirePasskeyIfAsked(undefined);
    if (decision === 'accept' && row.mode === 'transfer') await this.checkTransferCode(row, code, ip);
    return this.decide(row, decision, { via: 'email', ip }, tokenHash);
  }

  async deleteEnded(): Promise<number> {
    return this.pending.deleteEndedBefore(new Date(this.clock.nowMs() - 24 * 3600_000));
  }

  private async decide(row: PendingLogin, decision: 'accept' | 'reject', by: Record<string, string>, emailTokenHash?: string) {
    const status: 'approved' | 'rejected' = decision === 'accept' ? 'approved' : 'rejected';
    if (!(await this.pending.decide(row.id, status, this.clock.now(), emailTokenHash))) {
      if (emailTokenHash) throw new AppError('link_used', 'This link has already been used');
      const now = await this.pending.find(row.id);
      this.assertOpen(now ?? row);
      throw new AppError('approval_already_decided', 'This login has already been decided');
    }
    this.counter().inc({ outcome: status });
    await this.audit.record({ type: 'approval', outcome: status, userId: row.userId, ip: by.ip, details: { pendingId: row.id, ...by } });
    await this.nats.emit('auth.approval.decided', { userId: row.userId, pendingId: row.id, status });
    return { status };
  }

  private async checkTransferCode(row: PendingLogin, code: string | undefined, ip: string): Promise<void> {
    if (code !== undefined && constantTimeEqual(code.trim(), row.securityCode)) return;
    const wrong = await this.pending.countWrongCode(row.id);
    await this.audit.record({
      type: 'approval',
      outcome: 'wrong_code',
      userId: row.userId,
      ip,
      details: { pendingId: row.id, wrongCodes: wrong },
    });
    if (wrong >= this.config.APPROVAL_MAX_WRONG_CODES) {
      await this.decide(row, 'reject', { via: 'wrong_codes', ip }).catch(() => undefined);
      throw new AppError('approval_expired', 'Too many wrong codes: this login was rejected');
    }
    throw new AppError('invalid_security_code', 'The code does not match the one shown on the new device', {
      attemptsLeft: this.config.APPROVAL_MAX_WRONG_CODES - wrong,
    });
  }

  private assertOpen(row: PendingLogin): void {
    const status = this.statusOf(row);
    if (status === 'expired') throw new AppError('approval_expired', 'This login request has expired');
    if (status !== 'pending') throw new AppError('approval_already_decided', 'This login has already been decided');
  }

  private statusOf(row: PendingLogin): PendingStatus {
    if (row.status === 'rejected') return 'rejected';
    if (row.status === 'cancelled') return 'cancelled';
    if (row.status === 'completed') return 'approved';
    if (row.expiresAt.getTime() <= this.clock.nowMs()) return 'expired';
    return row.status === 'approved' ? 'approved' : 'pending';
  }

  private async byPollToken(pendingId: string, pollToken: string): Promise<PendingLogin> {
    const row = await this.pending.find(pendingId);
    // Unknown id and wrong token answer alike.
    if (!row || !constantTimeEqual(sha256(pollToken), row.pollTokenHash))
      throw new AppError('unauthenticated', 'Unknown pending login or wrong poll token');
    return row;
  }

  private async channelsOf(user: User): Promise<Array<'session' | 'email'>> {
    const [{ sessions }, mail] = await Promise.all([
      this.nats.send('sessions.session.list', { userId: user.id }),
      user.email
        ? this.nats.send('mailer.config.get', { actor: { kind: 'system', service: 'auth' } }).catch(() => ({ config: null }))
        : Promise.resolve({ config: null }),
    ]);
    return [...(sessions.length > 0 ? (['session'] as const) : []), ...(mail.config ? (['email'] as const) : [])];
  }

  private async mailApproval(user: User, row: PendingLogin, token: string): Promise<void> {
    const device = row.device as Device;
    await this.nats
      .send('mailer.mail.send', {
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

  private counter() {
    return this.metrics.counter(
      'gatehouse_approvals_total',
      'Two-factor approvals, by outcome (requested, approved, rejected, cancelled)',
      ['outcome'],
    );
  }
}

/** In transfer mode the approver is never sent the code: it has to type what the new device shows. */
const toView = (row: PendingLogin): ApprovalView => ({
  pendingId: row.id,
  device: row.device as Device,
  ip: row.ip,
  requestedAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  mode: row.mode === 'transfer' ? 'transfer' : 'compare',
  ...(row.mode !== 'transfer' ? { securityCode: row.securityCode } : {}),
});

const toLoginRequest = (row: PendingLogin): LoginRequest => ({
  device: row.device as Device,
  application: row.application as LoginRequest['application'],
  ...(row.subid ? { subid: row.subid } : {}),
  ip: row.ip,
});
