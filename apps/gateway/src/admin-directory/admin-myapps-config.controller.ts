import { ClientSettingsSubjects } from '@gatehouse/contracts';
import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { inDomain } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/** `/admin/config/myapps` (PBX/Config/myApps): client defaults, reset-password page, edit-profile app. */
@Controller()
export class AdminMyAppsConfigController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /admin/config/myapps')
  async get(@CurrentPrincipal() principal: Principal, @Input() { query }: Input<'GET /admin/config/myapps'>) {
    const scope = inDomain(principal, query.domain);
    return (await this.nats.send(ClientSettingsSubjects.clientSettingsGet, scope, { retries: 1 })).settings;
  }

  @Route('PUT /admin/config/myapps')
  async set(@CurrentPrincipal() principal: Principal, @Input() { query, body }: Input<'PUT /admin/config/myapps'>) {
    const scope = inDomain(principal, query.domain);
    return (await this.nats.send(ClientSettingsSubjects.clientSettingsSet, { ...scope, settings: body })).settings;
  }
}
