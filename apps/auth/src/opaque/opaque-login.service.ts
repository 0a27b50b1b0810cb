import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { LoginRes, ParsedRequestOf, DirectorySubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, NatsClient, REDIS } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import type { AuthConfig } from '../config';
import { LoginCompletion } from '../login/login-completion.service';
import { LoginUserFinder } from '../login/login-user-finder';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { LoginThrottle, Reservation } from '../throttle/login-throttle';
import { OpaqueService } from './opaque.service';

interface LoginState {
  serverLoginState: string;
  userId: string | null;
  login: string;
  reservation: Reservation;
}

const stateKey = (loginId: string) => `opaque:login:${loginId}`;
const wrong = () => new AppError('invalid_credentials', 'Wrong username or password');

/**
 * OPAQUE login in two messages. Between them the server's state waits in Redis with an expiry
 * (a restart of auth loses nothing, a replay finds nothing). Unknown users and external users get a
 * fake record: the first answer looks the same, and the client fails to finish just as with a wrong
 * password. The attempt is reserved on the throttle at the first message and counts as a failure
 * until the second proves the password, as on the plain route.
 */
@Injectable()
export class OpaqueLoginService {
  constructor(
    private readonly opaque: OpaqueService,
    private readonly users: LoginUserFinder,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly settings: AuthSettingsService,
    private readonly completion: LoginCompletion,
    private readonly nats: NatsClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  async start(req: ParsedRequestOf<'auth.opaque.login-start'>) {
    const settings = await this.settings.get();
    if (!settings.type.startsWith('pbx')) throw new AppError('auth_type_disabled', 'PBX passwords are not used for sign-in here');
    const { user: found } = await this.users.find(req.username, 'pbx');
    const user = found && !found.external ? found : null;
    const who = { userId: user?.id ?? null, login: req.username, ip: req.ip };
    const deviceSessionId = user && req.deviceSession?.userId === user.id ? req.deviceSession.sessionId : undefined;
    const reservation = await this.throttle
      .reserve({ userId: user?.id ?? null, login: req.username, address: req.ip, ...(deviceSessionId ? { deviceSessionId } : {}) })
      .catch(async (error: unknown) => {
        if (error instanceof AppError && error.code === 'rate_limited')
          await this.audit.record({ type: 'login', outcome: 'throttled', ...who, details: { method: 'opaque' } });
        throw error;
      });
    if (reservation.lockMs > 0) {
      await this.audit.record({
        type: 'lockout',
        outcome: 'locked',
        ...who,
        details: { failures: reservation.accountFails, waitMs: reservation.lockMs, scope: reservation.lockScope },
      });
    }
    const stored = user ? await this.opaque.recordOf(user.id) : null;
    const { serverLoginState, loginResponse } = this.opaque.startLogin(
      OpaqueService.identifierOf(user?.id ?? null, req.username),
      stored,
      req.startLoginRequest,
    );
    const loginId = randomUUID();
    const state: LoginState = { serverLoginState, userId: user?.id ?? null, login: req.username, reservation };
    await this.redis.set(stateKey(loginId), JSON.stringify(state), 'PX', this.config.OPAQUE_LOGIN_TTL_MS);
    return { loginId, loginResponse, keyStretching: stored?.keyStretching ?? this.opaque.keyStretching };
  }

  async finish(req: ParsedRequestOf<'auth.opaque.login-finish'>): Promise<LoginRes> {
    // GETDEL: the state is used once, whatever the outcome.
    const raw = await this.redis.getdel(stateKey(req.loginId));
    if (!raw) throw wrong();
    const state = JSON.parse(raw) as LoginState;
    const who = { userId: state.userId, login: state.login, ip: req.ip };
    if (!state.userId || !this.opaque.finishLogin(state.serverLoginState, req.finishLoginRequest)) {
      await this.audit.record({
        type: 'login',
        outcome: 'failure',
        ...who,
        details: { method: 'opaque', failures: state.reservation.accountFails },
      });
      throw wrong();
    }
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId: state.userId });
    if (!user) throw wrong();
    const settings = await this.settings.get();
    await this.throttle.succeeded(state.reservation);
    await this.audit.record({ type: 'login', outcome: 'success', ...who, details: { method: 'password', protocol: 'opaque' } });
    return this.completion.complete(user, req, 'password', settings);
  }
}
