import { Injectable } from '@nestjs/common';
import { LoginRes, ParsedRequestOf, allows } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { isCallGone } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { LoginThrottle } from '../throttle/login-throttle';
import { LoginCompletion } from './login-completion.service';
import { SecretVerifier } from './secret-verifier';
import { LoginUserFinder } from './login-user-finder';
import { NetlogonOutcome } from './netlogon-outcome';

type LoginReq = ParsedRequestOf<'auth.login.password'>;

/**
 * Password login: find the user, reserve an attempt, verify the ways the authentication type
 * allows (unknown users cost the same and get the same answer), then hand over to LoginCompletion.
 */
@Injectable()
export class PasswordLoginService {
  constructor(
    private readonly throttle: LoginThrottle,
    private readonly verifier: SecretVerifier,
    private readonly audit: AuditService,
    private readonly settings: AuthSettingsService,
    private readonly completion: LoginCompletion,
    private readonly users: LoginUserFinder,
    private readonly netlogon: NetlogonOutcome,
  ) {}

  async login(req: LoginReq): Promise<LoginRes> {
    const settings = await this.settings.get();
    const { user, windowsDomain } = await this.users.find(req.username, settings.type);
    const allowed = allows(settings.type);
    if (!allowed.passwordForm && !user?.external) {
      throw new AppError('auth_type_disabled', 'Sign in with the identity provider; passwords are not accepted here');
    }
    // Issue 22: with the plain route closed for PBX passwords, only Netlogon and external users still use it.
    if (!settings.pbxPlainLogin && !allowed.windowsPassword && !user?.external) {
      throw new AppError(
        'plain_login_disabled',
        'PBX passwords are not accepted on this route: sign in with OPAQUE (the web client does) or a passkey',
      );
    }
    const who = { userId: user?.id ?? null, login: req.username, ip: req.ip };
    // A device session counts only for its own account: another user's session is no proof here.
    const deviceSessionId = user && req.deviceSession?.userId === user.id ? req.deviceSession.sessionId : undefined;
    const attempt = { userId: user?.id ?? null, login: req.username, address: req.ip, ...(deviceSessionId ? { deviceSessionId } : {}) };
    const reservation = await this.throttle.reserve(attempt).catch(async (error: unknown) => {
      if (error instanceof AppError && error.code === 'rate_limited')
        await this.audit.record({ type: 'login', outcome: 'throttled', ...who });
      throw error;
    });
    const method = await this.verifier
      .verify(settings.type, user, req.username, req.password, windowsDomain, settings.pbxPlainLogin)
      .catch(async (error: unknown) => {
        // dropped before it was checked (the client left, or stopped waiting): no attempt was spent
        if (isCallGone(error)) {
          await this.throttle.refund(reservation);
          throw error;
        }
        return this.netlogon.settle(error, reservation, who);
      });
    if (!user || !method) {
      await this.audit.record({ type: 'login', outcome: 'failure', ...who, details: { failures: reservation.accountFails } });
      if (reservation.lockMs > 0) {
        const details = { failures: reservation.accountFails, waitMs: reservation.lockMs, scope: reservation.lockScope };
        await this.audit.record({ type: 'lockout', outcome: 'locked', ...who, details });
      }
      throw new AppError('invalid_credentials', 'Wrong username or password');
    }
    await this.throttle.succeeded(reservation);
    await this.audit.record({ type: 'login', outcome: 'success', ...who, details: { method } });
    return this.completion.complete(user, req, method, settings);
  }
}
