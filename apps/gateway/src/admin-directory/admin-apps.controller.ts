import { AppsSubjects } from '@gatehouse/contracts';
import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { inDomain } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/** `/admin/apps`: app objects, addressed by their id within a domain (`?domain=`, the admin's own by default). */
@Controller()
export class AdminAppsController {
  constructor(private readonly nats: NatsClient) {}

  @Route('POST /admin/apps')
  async create(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /admin/apps'>) {
    const { domain, ...app } = body;
    return (await this.nats.send(AppsSubjects.appCreate, { ...inDomain(principal, domain), app })).app;
  }

  @Route('GET /admin/apps')
  list(@CurrentPrincipal() principal: Principal, @Input() { query }: Input<'GET /admin/apps'>) {
    const { domain, ...page } = query;
    return this.nats.send(AppsSubjects.appList, { ...page, ...inDomain(principal, domain) }, { retries: 1 });
  }

  @Route('GET /admin/apps/:id')
  async get(@CurrentPrincipal() principal: Principal, @Input() { params, query }: Input<'GET /admin/apps/:id'>) {
    const scope = inDomain(principal, query.domain);
    return (await this.nats.send(AppsSubjects.appGet, { ...scope, id: params.id }, { retries: 1 })).app;
  }

  @Route('PATCH /admin/apps/:id')
  async update(@CurrentPrincipal() principal: Principal, @Input() { params, query, body }: Input<'PATCH /admin/apps/:id'>) {
    return (await this.nats.send(AppsSubjects.appUpdate, { ...inDomain(principal, query.domain), id: params.id, patch: body })).app;
  }

  @Route('DELETE /admin/apps/:id')
  delete(@CurrentPrincipal() principal: Principal, @Input() { params, query }: Input<'DELETE /admin/apps/:id'>) {
    return this.nats.send(AppsSubjects.appDelete, { ...inDomain(principal, query.domain), id: params.id });
  }
}
