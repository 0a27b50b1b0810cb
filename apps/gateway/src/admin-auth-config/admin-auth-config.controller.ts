import { AuthSettingsSubjects, FederationSubjects } from '@gatehouse/contracts';
import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/** Above auth's own wait for federation (15 s): federation checks an issuer or a domain controller before it saves. */
const SAVE_TIMEOUT_MS = 20_000;

/**
 * `/admin/config/authentication`: auth answers the whole document (the policy, with the federation
 * settings it asks federation for) and checks the one against the other; both refuse domain administrators.
 */
@Controller()
export class AdminAuthConfigController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /admin/config/authentication')
  async get(@CurrentPrincipal() principal: Principal) {
    return (await this.nats.send(AuthSettingsSubjects.configGet, { actor: adminActor(principal) })).config;
  }

  @Route('PUT /admin/config/authentication')
  async set(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'PUT /admin/config/authentication'>) {
    return (await this.nats.send(AuthSettingsSubjects.configSet, { actor: adminActor(principal), ...body }, { timeoutMs: SAVE_TIMEOUT_MS }))
      .config;
  }

  /** Binds one Windows account with the saved Netlogon settings and says what the domain controller answered; signs nobody in. */
  @Route('POST /admin/config/authentication/netlogon/test')
  testNetlogon(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /admin/config/authentication/netlogon/test'>) {
    return this.nats.send(FederationSubjects.netlogonTest, { actor: adminActor(principal), ...body }, { timeoutMs: 30_000 });
  }
}
