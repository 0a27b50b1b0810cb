import { Inject, Injectable } from '@nestjs/common';
import { ApprovalView, Decision, ReplyOf, ApprovalSubjects } from '@gatehouse/contracts';
import { constantTimeEqual, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, NatsClient } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import type { AuthConfig } from '../config';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { ApprovalMetrics } from './approval-metrics';
import { afterWrongCode, assertOpen, byPollToken, outcomeOf, statusOf, toView } from './pending-login';
import { PendingLogin, PendingLoginsRepository } from './pending-logins.repository';

type Decided = { status: 'approved' | 'rejected' | 'cancelled' };

/**
 * Where a login waiting for approval gets its outcome: a signed-in device of the same user, or the
 * emailed link, accepts (after comparing or, in `transfer` mode, typing the security code) or rejects
 * it; the waiting device may withdraw it. Every outcome is audited, counted and announced.
 */
@Injectable()
export class ApprovalDecisionsService {
  constructor(
    private readonly pending: PendingLoginsRepository,
    private readonly settings: AuthSettingsService,
    private readonly metrics: ApprovalMetrics,
    private readonly audit: AuditService,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  /** What the user's signed-in devices are asked to decide. */
  async waiting(userId: string): Promise<ApprovalView[]> {
    return (await this.pending.waitingOf(userId, this.clock.now())).map((row) => toView(row));
  }

  /** From a signed-in session of the same user; `passkeyId`: a passkey with user verification confirmed the accept (PasskeyLoginService). */
  async fromSession(req: {
    userId: string;
    sessionId: string;
    pendingId: string;
    decision: Decision;
    code?: string;
    ip: string;
    passkeyId?: string;
  }): Promise<Decided> {
    const row = await this.pending.findOfUser(req.userId, req.pendingId);
    if (!row) throw new AppError('approval_not_found', 'No such login is waiting for approval');
    assertOpen(row, this.clock.nowMs());
    if (req.decision === 'accept') await this.requirePasskeyIfAsked(req.passkeyId);
    if (req.decision === 'accept' && row.mode === 'transfer') await this.checkTransferCode(row, req.code, req.ip);
    return this.decide(row, outcomeOf(req.decision), {
      via: 'session',
      sessionId: req.sessionId,
      ip: req.ip,
      ...(req.passkeyId ? { passkeyId: req.passkeyId } : {}),
    });
  }

  /** The emailed link's page: the device and the code, without deciding anything. */
  async emailView(token: string): Promise<ReplyOf<'auth.approval.email-view'>> {
    const row = await this.pending.findByEmailToken(sha256(token));
    if (!row) throw new AppError('approval_not_found', 'This link is not valid');
    return { approval: toView(row), status: statusOf(row, this.clock.nowMs()), used: row.emailTokenUsed };
  }

  /** The emailed link decides once. */
  async fromEmail(token: string, decision: Decision, ip: string, code?: string): Promise<Decided> {
    const tokenHash = sha256(token);
    const row = await this.pending.findByEmailToken(tokenHash);
    if (!row) throw new AppError('approval_not_found', 'This link is not valid');
    if (row.emailTokenUsed) throw new AppError('link_used', 'This link has already been used');
    assertOpen(row, this.clock.nowMs());
    if (decision === 'accept') await this.requirePasskeyIfAsked(undefined);
    if (decision === 'accept' && row.mode === 'transfer') await this.checkTransferCode(row, code, ip);
    return this.decide(row, outcomeOf(decision), { via: 'email', ip }, tokenHash);
  }

  /** The waiting device withdraws its login (Cancel): the approvers' dialogs close, the links stop working. */
  async cancel(pendingId: string, pollToken: string, ip: string): Promise<ReplyOf<'auth.pending.cancel'>> {
    const row = byPollToken(await this.pending.find(pendingId), pollToken);
    if (!(await this.pending.decide(row.id, 'cancelled', this.clock.now())))
      return { status: statusOf((await this.pending.find(row.id)) ?? row, this.clock.nowMs()) };
    await this.recorded(row, 'cancelled', { ip });
    return { status: 'cancelled' };
  }

  /** Issue 22: with approvalRequiresPasskey an accept must come with a verified passkey (never a careless tap or a mail link). */
  private async requirePasskeyIfAsked(passkeyId: string | undefined): Promise<void> {
    if (passkeyId === undefined && (await this.settings.get()).approvalRequiresPasskey) {
      throw new AppError('passkey_required', 'Accepting a new device needs one of your passkeys (with its PIN or biometrics)');
    }
  }

  private async decide(row: PendingLogin, status: 'approved' | 'rejected', by: Record<string, string>, emailTokenHash?: string) {
    if (!(await this.pending.decide(row.id, status, this.clock.now(), emailTokenHash))) {
      if (emailTokenHash) throw new AppError('link_used', 'This link has already been used');
      assertOpen((await this.pending.find(row.id)) ?? row, this.clock.nowMs());
      throw new AppError('approval_already_decided', 'This login has already been decided');
    }
    await this.recorded(row, status, by);
    return { status };
  }

  private async recorded(row: PendingLogin, status: Decided['status'], by: Record<string, string>): Promise<void> {
    this.metrics.count(status);
    const details = status === 'cancelled' ? { pendingId: row.id } : { pendingId: row.id, ...by };
    await this.audit.record({ type: 'approval', outcome: status, userId: row.userId, ip: by.ip, details });
    await this.nats.emit(ApprovalSubjects.decided, { userId: row.userId, pendingId: row.id, status });
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
    const next = afterWrongCode(wrong, this.config.APPROVAL_MAX_WRONG_CODES);
    if (next.reject) {
      await this.decide(row, 'rejected', { via: 'wrong_codes', ip }).catch(() => undefined);
      throw new AppError('approval_expired', 'Too many wrong codes: this login was rejected');
    }
    throw new AppError('invalid_security_code', 'The code does not match the one shown on the new device', {
      attemptsLeft: next.attemptsLeft,
    });
  }
}
