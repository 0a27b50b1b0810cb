import { TemplatesSubjects } from '@gatehouse/contracts';
import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { inDomain } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/** `/admin/templates`: app permissions many users share. */
@Controller()
export class AdminTemplatesController {
  constructor(private readonly nats: NatsClient) {}

  @Route('POST /admin/templates')
  async create(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /admin/templates'>) {
    const { domain, ...template } = body;
    return (await this.nats.send(TemplatesSubjects.templateCreate, { ...inDomain(principal, domain), template })).template;
  }

  @Route('GET /admin/templates')
  list(@CurrentPrincipal() principal: Principal, @Input() { query }: Input<'GET /admin/templates'>) {
    const { domain, ...page } = query;
    return this.nats.send(TemplatesSubjects.templateList, { ...page, ...inDomain(principal, domain) }, { retries: 1 });
  }

  @Route('GET /admin/templates/:id')
  async get(@CurrentPrincipal() principal: Principal, @Input() { params, query }: Input<'GET /admin/templates/:id'>) {
    const scope = inDomain(principal, query.domain);
    return (await this.nats.send(TemplatesSubjects.templateGet, { ...scope, templateId: params.id }, { retries: 1 })).template;
  }

  @Route('PATCH /admin/templates/:id')
  async update(@CurrentPrincipal() principal: Principal, @Input() { params, query, body }: Input<'PATCH /admin/templates/:id'>) {
    const scope = inDomain(principal, query.domain);
    return (await this.nats.send(TemplatesSubjects.templateUpdate, { ...scope, templateId: params.id, patch: body })).template;
  }

  @Route('DELETE /admin/templates/:id')
  delete(@CurrentPrincipal() principal: Principal, @Input() { params, query }: Input<'DELETE /admin/templates/:id'>) {
    return this.nats.send(TemplatesSubjects.templateDelete, { ...inDomain(principal, query.domain), templateId: params.id });
  }
}
