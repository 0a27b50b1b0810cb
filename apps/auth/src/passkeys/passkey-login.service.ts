import { Injectable } from '@nestjs/common';
import type { AuthenticationResponseJson, LoginRes, ParsedRequestOf, User } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { Clock, NatsClient } from '@gatehouse/platform';
import { ApprovalDecisionsService } from '../approvals/approval-decisions.service';
import { AuditService } from '../audit/audit.service';
import { LoginCompletion } from '../login/login-completion.service';
import { SessionStarter } from '../sessions-client/session-starter';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { LoginThrottle, Reservation } from '../throttle/login-throttle';
import { Passkey, PasskeysRepository } from './passkeys.repository';
import { PasskeysService } from './passkeys.service';
import { WebauthnCeremonies } from './webauthn-ceremonies';
import { DirectorySubjects } from '@gatehouse/contracts';

type LoginReq = ParsedRequestOf<'auth.passkey.login'>;
type ApproveReq = ParsedRequestOf<'auth.passkey.approve'>;

/**
 * Sign-in with a passkey (discoverable credentials: the passkey names the account) and accepting a
 * new device with one. Throttled like passwords; a signature counter that goes backwards is a clone.
 */
@Injectable()
export class PasskeyLoginService {
  constructor(
    private readonly repository: PasskeysRepository,
    private readonly ceremonies: WebauthnCeremonies,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly settings: AuthSettingsService,
    private readonly completion: LoginCompletion,
    private readonly sessions: SessionStarter,
    private readonly approvals: ApprovalDecisionsService,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
  ) {}

  loginOptions() {
    return this.ceremonies.authenticationOptions('login', null);
  }

  async login(req: LoginReq): Promise<LoginRes> {
    const settings = await this.settings.get();
    const passkey = await this.repository.byCredentialId(req.response.id);
    const user = passkey ? await this.userOf(passkey.userId) : null;
    const login = user ? `${user.username}@${user.domain}` : 'passkey';
    const who = { userId: user?.id ?? null, login, ip: req.ip };
    const reservation = await this.throttle.reserve({ userId: user?.id ?? null, login, address: req.ip }).catch(async (error: unknown) => {
      if (error instanceof AppError && error.code === 'rate_limited')
        await this.audit.record({ type: 'login', outcome: 'throttled', ...who, details: { method: 'passkey' } });
      throw error;
    });
    try {
      if (!passkey || !user) {
        await this.ceremonies.take(req.flowId, 'login', null).catch(() => undefined);
        throw new AppError('passkey_invalid', 'The passkey could not be verified', { reason: 'unknown passkey' });
      }
      // The user handle, when sent, must name the passkey's own account.
      const handle = PasskeysService.userIdOfHandle(req.response.response.userHandle);
      if (req.response.response.userHandle !== undefined && handle !== user.id) {
        throw new AppError('passkey_invalid', 'The passkey could not be verified', { reason: 'user handle mismatch' });
      }
      const verified = await this.verified(req.flowId, 'login', null, req.response, passkey, false, req.ip);
      await this.throttle.succeeded(reservation);
      await this.audit.record({
        type: 'login',
        outcome: 'success',
        ...who,
        details: { method: 'passkey', passkeyId: passkey.id, userVerified: verified.userVerified },
      });
      // With user verification the passkey is two factors (held + known/biometric): the policy may skip approval.
      if (verified.userVerified && settings.passkeyCountsAsTwoFactor) return this.sessions.start(user, req, settings);
      return this.completion.complete(user, req, 'passkey', settings);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'passkey_invalid' || error.code === 'passkey_cloned'))
        await this.failed(reservation, who, error);
      else await this.throttle.refund(reservation).catch(() => undefined);
      throw error;
    }
  }

  async approveOptions(userId: string) {
    const allow = await this.repository.listOf(userId);
    if (allow.length === 0) throw new AppError('passkey_required', 'Add a passkey in Account security to approve new devices');
    return this.ceremonies.authenticationOptions('approve', userId, allow);
  }

  /** Accepts a pending login after a passkey of the approver's own account verified the user (UV). */
  async approve(req: ApproveReq) {
    const passkey = await this.repository.byCredentialId(req.response.id);
    if (!passkey || passkey.userId !== req.userId) {
      await this.ceremonies.take(req.flowId, 'approve', req.userId).catch(() => undefined);
      throw new AppError('passkey_invalid', 'The passkey could not be verified', { reason: 'not a passkey of this account' });
    }
    await this.verified(req.flowId, 'approve', req.userId, req.response, passkey, true, req.ip);
    return this.approvals.fromSession({
      userId: req.userId,
      sessionId: req.sessionId,
      pendingId: req.pendingId,
      decision: 'accept',
      ...(req.code ? { code: req.code } : {}),
      ip: req.ip,
      passkeyId: passkey.id,
    });
  }

  /** Verifies the answer, then the counter: at or below the stored one (when either is non-zero) is a cloned authenticator. */
  private async verified(
    flowId: string,
    purpose: 'login' | 'approve',
    userId: string | null,
    response: AuthenticationResponseJson,
    passkey: Passkey,
    uv: boolean,
    ip: string,
  ) {
    const assertion = await this.ceremonies.verifyAssertion(flowId, purpose, userId, response, passkey, uv);
    const cloned = (assertion.counter > 0 || passkey.counter > 0n) && BigInt(assertion.counter) <= passkey.counter;
    if (cloned || !(await this.repository.recordUse(passkey.id, passkey.counter, assertion.counter, this.clock.now()))) {
      await this.audit.record({
        type: 'passkey',
        outcome: 'cloned',
        userId: passkey.userId,
        ip,
        details: { passkeyId: passkey.id, name: passkey.name, storedCounter: Number(passkey.counter), presentedCounter: assertion.counter },
      });
      throw new AppError('passkey_cloned', 'This passkey was refused: its authenticator may have been copied. Ask your administrator.');
    }
    return assertion;
  }

  private async failed(
    reservation: Reservation,
    who: { userId: string | null; login: string; ip: string },
    error: AppError,
  ): Promise<void> {
    await this.audit.record({
      type: 'login',
      outcome: 'failure',
      ...who,
      details: { method: 'passkey', reason: error.details?.reason ?? error.code, failures: reservation.accountFails },
    });
    if (reservation.lockMs > 0) {
      await this.audit.record({
        type: 'lockout',
        outcome: 'locked',
        ...who,
        details: { failures: reservation.accountFails, waitMs: reservation.lockMs, scope: reservation.lockScope },
      });
    }
  }

  private async userOf(userId: string): Promise<User | null> {
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId });
    return user && !user.external ? user : null;
  }
}
