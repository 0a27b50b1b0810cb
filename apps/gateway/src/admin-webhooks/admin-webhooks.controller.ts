import { WebhookSubjects } from '@gatehouse/contracts';
import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/**
 * `/admin/webhooks`: endpoints that receive signed audit events. Installation administrators manage all
 * (and installation-wide ones), domain administrators their own domain's; auth decides.
 */
@Controller()
export class AdminWebhooksController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /admin/webhooks')
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(WebhookSubjects.list, { actor: adminActor(principal) }, { retries: 1 });
  }

  /** Answers `{ webhook, secret }`: the secret is shown this once. */
  @Route('POST /admin/webhooks')
  create(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /admin/webhooks'>) {
    return this.nats.send(WebhookSubjects.create, { actor: adminActor(principal), webhook: body });
  }

  @Route('PATCH /admin/webhooks/:id')
  async update(@CurrentPrincipal() principal: Principal, @Input() { params, body }: Input<'PATCH /admin/webhooks/:id'>) {
    return (await this.nats.send(WebhookSubjects.update, { actor: adminActor(principal), id: params.id, patch: body })).webhook;
  }

  @Route('DELETE /admin/webhooks/:id')
  delete(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'DELETE /admin/webhooks/:id'>) {
    return this.nats.send(WebhookSubjects.delete, { actor: adminActor(principal), id: params.id });
  }

  @Route('POST /admin/webhooks/:id/rotate-secret')
  rotate(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'POST /admin/webhooks/:id/rotate-secret'>) {
    return this.nats.send(WebhookSubjects.rotate, { actor: adminActor(principal), id: params.id });
  }

  @Route('GET /admin/webhooks/:id/deliveries')
  deliveries(@CurrentPrincipal() principal: Principal, @Input() { params, query }: Input<'GET /admin/webhooks/:id/deliveries'>) {
    return this.nats.send(WebhookSubjects.deliveries, { actor: adminActor(principal), id: params.id, ...query }, { retries: 1 });
  }
}
