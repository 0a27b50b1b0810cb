import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Uuid, WebhookInput, WebhookPatch } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { ApiZodBody, ApiZodQuery } from '../http/api-zod-body';
import { ZodPipe } from '../http/zod.pipe';

const DeliveriesQuery = z
  .object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
// Types through z.infer: a parameter typed by the schema's own name would hand swagger the zod object as a class.
type Input = z.input<typeof WebhookInput>;
type PatchBody = z.input<typeof WebhookPatch>;
type Page = z.infer<typeof DeliveriesQuery>;

/**
 * `/admin/webhooks`: endpoints that receive signed audit events. Installation administrators manage all
 * (and installation-wide ones), domain administrators their own domain's; auth decides.
 */
@ApiTags('admin')
@Controller('admin/webhooks')
@UseGuards(AccessGuard, AdminGuard)
export class AdminWebhooksController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('auth.webhook.list', { actor: adminActor(principal) }, { retries: 1 });
  }

  /** Answers `{ webhook, secret }`: the secret is shown this once. */
  @Post()
  @ApiZodBody(WebhookInput)
  create(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(WebhookInput)) webhook: Input) {
    return this.nats.send('auth.webhook.create', { actor: adminActor(principal), webhook });
  }

  @Patch(':id')
  @ApiZodBody(WebhookPatch)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodPipe(Uuid)) id: string,
    @Body(new ZodPipe(WebhookPatch)) patch: PatchBody,
  ) {
    return (await this.nats.send('auth.webhook.update', { actor: adminActor(principal), id, patch })).webhook;
  }

  @Delete(':id')
  delete(@CurrentPrincipal() principal: Principal, @Param('id', new ZodPipe(Uuid)) id: string) {
    return this.nats.send('auth.webhook.delete', { actor: adminActor(principal), id });
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  rotate(@CurrentPrincipal() principal: Principal, @Param('id', new ZodPipe(Uuid)) id: string) {
    return this.nats.send('auth.webhook.rotate-secret', { actor: adminActor(principal), id });
  }

  @Get(':id/deliveries')
  @ApiZodQuery(DeliveriesQuery)
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodPipe(Uuid)) id: string,
    @Query(new ZodPipe(DeliveriesQuery)) page: Page,
  ) {
    return this.nats.send('auth.webhook.deliveries', { actor: adminActor(principal), id, ...page }, { retries: 1 });
  }
}
