import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { actsForInstallation, FederationSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, RpcHandler } from '@gatehouse/platform';
import type { FederationConfig } from '../config';
import { SettingsService } from '../settings/settings.service';
import { NetlogonProbe } from './netlogon-probe';
import { NetlogonVerifier } from './netlogon.verifier';

@Controller()
export class NetlogonController {
  constructor(
    private readonly settings: SettingsService,
    private readonly verifier: NetlogonVerifier,
    private readonly probe: NetlogonProbe,
    @Inject(CONFIG) private readonly config: FederationConfig,
  ) {}

  /**
   * For the Gatehouse user `username` (and `email`): wrong password { ok: false }; an account state
   * { ok: false, refusal }; unreachable domain controller: netlogon_unavailable; the wrong-password
   * guard: rate_limited. A caller naming another Windows domain is refused rather than bound elsewhere.
   */
  @RpcHandler(FederationSubjects.netlogonVerify)
  async verify(@Payload() req: ParsedRequestOf<'federation.netlogon.verify'>): Promise<ReplyOf<'federation.netlogon.verify'>> {
    const settings = await this.settings.netlogon();
    return this.verifier.verify(settings, req.username, req.password, { email: req.email, domain: req.domain });
  }

  /** An installation administrator binds one account to check the settings; nobody is signed in. */
  @RpcHandler(FederationSubjects.netlogonTest)
  async test(@Payload() req: ParsedRequestOf<'federation.netlogon.test'>): Promise<ReplyOf<'federation.netlogon.test'>> {
    if (!actsForInstallation(req.actor, this.config.GATEHOUSE_DOMAIN)) {
      throw new AppError('forbidden', 'Only installation administrators may test the Netlogon settings');
    }
    return this.probe.test(await this.settings.netlogon(), req.username, req.password);
  }
}
