import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@gatehouse/errors';
import { NetlogonRefusalCode } from '@gatehouse/contracts';
import { AuditService } from '../audit/audit.service';
import { LoginThrottle, Reservation } from '../throttle/login-throttle';
import { NetlogonRefusedError } from './secret-verifier';

/** What the user who proved the Windows password is told for each account state. */
const ANSWERS: Partial<Record<NetlogonRefusalCode, { code: ErrorCode; message: string }>> = {
  password_expired: { code: 'password_expired', message: 'Your Windows password has expired; change it in Windows, then sign in again' },
  password_must_change: {
    code: 'password_must_change',
    message: 'You must change your Windows password before signing in; change it in Windows, then sign in again',
  },
  account_disabled: { code: 'account_disabled', message: 'Your Windows account is disabled; ask your administrator' },
  account_expired: { code: 'account_expired', message: 'Your Windows account has expired; ask your administrator' },
  account_restricted: {
    code: 'account_restricted',
    message: 'Your Windows account may not sign in here at this time; ask your administrator',
  },
  not_in_group: { code: 'account_restricted', message: 'Your Windows account may not sign in here at this time; ask your administrator' },
};

type Who = { userId: string | null; login: string; ip: string };

/**
 * A Netlogon answer that is not a plain yes or no. An unreachable domain controller is not the
 * user's failure (the attempt is given back) and is audited; an account state is audited for the
 * admin and told to the user only when AD reported it after checking the password; the bad-password
 * guard's refusal is audited and stays a failed attempt.
 */
@Injectable()
export class NetlogonOutcome {
  constructor(
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
  ) {}

  /** Returns null for "treat as a wrong password"; otherwise throws the answer. */
  async settle(error: unknown, reservation: Reservation, who: Who): Promise<null> {
    if (error instanceof AppError && error.code === 'netlogon_unavailable') {
      await this.throttle.refund(reservation);
      await this.audit.record({
        type: 'login',
        outcome: 'unavailable',
        ...who,
        details: { method: 'netlogon', reason: error.details?.reason ?? null },
      });
      throw error;
    }
    if (error instanceof AppError && error.code === 'rate_limited') {
      await this.audit.record({
        type: 'login',
        outcome: 'throttled',
        ...who,
        details: { method: 'netlogon', reason: error.details?.reason ?? null },
      });
      throw new AppError('rate_limited', error.message, { retryAfterSeconds: error.details?.retryAfterSeconds ?? 60 });
    }
    if (!(error instanceof NetlogonRefusedError)) throw error;
    const { refusal } = error;
    const answer = refusal.proven ? ANSWERS[refusal.code] : undefined;
    await this.audit.record({
      type: 'login',
      outcome: 'refused',
      ...who,
      details: { method: 'netlogon', refusal: refusal.code, adCode: refusal.adCode ?? null, told: Boolean(answer) },
    });
    if (!answer) return null;
    // The password was right: this attempt is no guess.
    await this.throttle.refund(reservation);
    throw new AppError(answer.code, answer.message);
  }
}
