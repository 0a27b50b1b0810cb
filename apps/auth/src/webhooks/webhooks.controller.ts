import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ParsedRequestOf, ReplyOf, WebhookSubjects } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { WebhooksService } from './webhooks.service';

@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @RpcHandler(WebhookSubjects.list)
  async list(@Payload() req: ParsedRequestOf<'auth.webhook.list'>): Promise<ReplyOf<'auth.webhook.list'>> {
    return { items: await this.webhooks.list(req.actor) };
  }

  @RpcHandler(WebhookSubjects.create)
  create(@Payload() req: ParsedRequestOf<'auth.webhook.create'>): Promise<ReplyOf<'auth.webhook.create'>> {
    return this.webhooks.create(req.actor, req.webhook);
  }

  @RpcHandler(WebhookSubjects.update)
  async update(@Payload() req: ParsedRequestOf<'auth.webhook.update'>): Promise<ReplyOf<'auth.webhook.update'>> {
    return { webhook: await this.webhooks.update(req.actor, req.id, req.patch) };
  }

  @RpcHandler(WebhookSubjects.delete)
  async delete(@Payload() req: ParsedRequestOf<'auth.webhook.delete'>): Promise<ReplyOf<'auth.webhook.delete'>> {
    return { deleted: await this.webhooks.delete(req.actor, req.id) };
  }

  @RpcHandler(WebhookSubjects.rotate)
  rotate(@Payload() req: ParsedRequestOf<'auth.webhook.rotate-secret'>): Promise<ReplyOf<'auth.webhook.rotate-secret'>> {
    return this.webhooks.rotate(req.actor, req.id);
  }

  @RpcHandler(WebhookSubjects.deliveries)
  deliveries(@Payload() req: ParsedRequestOf<'auth.webhook.deliveries'>): Promise<ReplyOf<'auth.webhook.deliveries'>> {
    return this.webhooks.deliveries(req.actor, req.id, req.offset, req.limit);
  }
}
