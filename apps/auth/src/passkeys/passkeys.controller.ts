import { Controller, Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ParsedRequestOf, PasskeySubjects, ReplyOf } from '@gatehouse/contracts';
import { CONFIG, Clock, IntervalScheduler, RpcHandler } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { PasskeyLoginService } from './passkey-login.service';
import { PasskeysRepository } from './passkeys.repository';
import { PasskeysService } from './passkeys.service';

export const WEBAUTHN_CHALLENGE_SWEEP = 'auth.webauthn-challenge-sweep';

@Controller()
export class PasskeysController implements OnApplicationBootstrap {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly login: PasskeyLoginService,
    private readonly repository: PasskeysRepository,
    private readonly scheduler: IntervalScheduler,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  @RpcHandler(PasskeySubjects.registerOptions)
  registerOptions(@Payload() req: ParsedRequestOf<'auth.passkey.register-options'>): Promise<ReplyOf<'auth.passkey.register-options'>> {
    return this.passkeys.registrationOptions(req.userId);
  }

  @RpcHandler(PasskeySubjects.register)
  register(@Payload() req: ParsedRequestOf<'auth.passkey.register'>): Promise<ReplyOf<'auth.passkey.register'>> {
    return this.passkeys.register(req);
  }

  @RpcHandler(PasskeySubjects.list)
  list(@Payload() req: ParsedRequestOf<'auth.passkey.list'>): Promise<ReplyOf<'auth.passkey.list'>> {
    return this.passkeys.list(req.userId, req.actor);
  }

  @RpcHandler(PasskeySubjects.remove)
  remove(@Payload() req: ParsedRequestOf<'auth.passkey.remove'>): Promise<ReplyOf<'auth.passkey.remove'>> {
    return this.passkeys.remove(req);
  }

  @RpcHandler(PasskeySubjects.loginOptions)
  loginOptions(): Promise<ReplyOf<'auth.passkey.login-options'>> {
    return this.login.loginOptions();
  }

  @RpcHandler(PasskeySubjects.login)
  signIn(@Payload() req: ParsedRequestOf<'auth.passkey.login'>): Promise<ReplyOf<'auth.passkey.login'>> {
    return this.login.login(req);
  }

  @RpcHandler(PasskeySubjects.approveOptions)
  approveOptions(@Payload() req: ParsedRequestOf<'auth.passkey.approve-options'>): Promise<ReplyOf<'auth.passkey.approve-options'>> {
    return this.login.approveOptions(req.userId);
  }

  @RpcHandler(PasskeySubjects.approve)
  approve(@Payload() req: ParsedRequestOf<'auth.passkey.approve'>): Promise<ReplyOf<'auth.passkey.approve'>> {
    return this.login.approve(req);
  }

  /** Unanswered challenges are deleted once stale (a taken one is gone already). */
  onApplicationBootstrap(): void {
    this.scheduler.every(WEBAUTHN_CHALLENGE_SWEEP, this.config.AUTH_SWEEP_INTERVAL_MS, () =>
      this.repository.deleteExpiredChallenges(this.clock.now()),
    );
  }
}
