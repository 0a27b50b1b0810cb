import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { FederationSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { SettingsService } from '../settings/settings.service';
import { NetlogonVerifier } from './netlogon.verifier';

@Controller()
export class NetlogonController {
  constructor(
    private readonly settings: SettingsService,
    private readonly verifier: NetlogonVerifier,
  ) {}

  /** Wrong password: { ok: false }; unreachable domain controller: netlogon_unavailable. */
  @RpcHandler(FederationSubjects.netlogonVerify)
  async verify(@Payload() req: ParsedRequestOf<'federation.netlogon.verify'>): Promise<ReplyOf<'federation.netlogon.verify'>> {
    const settings = await this.settings.netlogon();
    // A caller naming another Windows domain than the configured one is refused rather than bound elsewhere.
    if (req.domain && req.domain.toLowerCase() !== settings.domain.toLowerCase()) return { ok: false };
    return this.verifier.verify(settings, req.username, req.password);
  }
}
