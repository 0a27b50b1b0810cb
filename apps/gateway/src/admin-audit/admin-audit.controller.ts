import { AuditSubjects } from '@gatehouse/contracts';
import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/** `/admin/audit`: the audit log, newest first; auth scopes it to the admin's domain unless they administer the installation. */
@Controller()
export class AdminAuditController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /admin/audit')
  list(@CurrentPrincipal() principal: Principal, @Input() { query }: Input<'GET /admin/audit'>) {
    return this.nats.send(AuditSubjects.list, { actor: adminActor(principal), query }, { retries: 1 });
  }

  @Route('GET /admin/audit/settings')
  async settings(@CurrentPrincipal() principal: Principal) {
    return (await this.nats.send(AuditSubjects.settingsGet, { actor: adminActor(principal) }, { retries: 1 })).settings;
  }

  @Route('PUT /admin/audit/settings')
  async saveSettings(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'PUT /admin/audit/settings'>) {
    return (await this.nats.send(AuditSubjects.settingsSet, { actor: adminActor(principal), settings: body })).settings;
  }
}
