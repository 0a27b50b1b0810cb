import { Inject, Injectable } from '@nestjs/common';
import { Actor, actsForInstallation, AuditType, WebhookView } from '@gatehouse/contracts';
import type { z } from 'zod';
import type { WebhookInput, WebhookPatch } from '@gatehouse/contracts';
import { randomSecret, SecretBox } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, LOGGER, Logger, OutboundPolicy, OutboundRefusedError } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { DeliveryRow, EndpointRow, WebhooksRepository } from './webhooks.repository';

/** Endpoints of audit webhooks: installation administrators manage every one, domain administrators their domain's. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly box: SecretBox,
    private readonly outbound: OutboundPolicy,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(actor: Actor): Promise<WebhookView[]> {
    return (await this.repository.list(this.installation(actor) ? undefined : this.ownDomain(actor))).map(toView);
  }

  /** `domain` omitted: the domain admin's own domain, or installation-wide for installation admins. */
  async create(actor: Actor, input: z.output<typeof WebhookInput>): Promise<{ webhook: WebhookView; secret: string }> {
    const domain = input.domain === undefined ? (this.installation(actor) ? null : this.ownDomain(actor)) : input.domain;
    if (!this.installation(actor) && domain !== this.ownDomain(actor)) {
      throw new AppError('forbidden', "Domain administrators receive only their own domain's events", { field: 'domain' });
    }
    await this.checkUrl(input.url);
    const secret = `whsec_${randomSecret(32)}`;
    const row = await this.repository.create({
      domain,
      url: input.url,
      secretSealed: this.box.seal(secret),
      eventTypes: [...new Set(input.eventTypes)],
      enabled: input.enabled,
      createdAt: this.clock.now(),
    });
    return { webhook: toView(row), secret };
  }

  async update(actor: Actor, id: string, patch: z.output<typeof WebhookPatch>): Promise<WebhookView> {
    await this.endpoint(actor, id);
    if (patch.url) await this.checkUrl(patch.url);
    const row = await this.repository.update(id, { ...patch, ...(patch.eventTypes ? { eventTypes: [...new Set(patch.eventTypes)] } : {}) });
    return toView(row);
  }

  async delete(actor: Actor, id: string): Promise<boolean> {
    await this.endpoint(actor, id);
    return this.repository.delete(id);
  }

  /** A new secret, shown once; deliveries still queued are signed with it. */
  async rotate(actor: Actor, id: string): Promise<{ webhook: WebhookView; secret: string }> {
    await this.endpoint(actor, id);
    const secret = `whsec_${randomSecret(32)}`;
    const row = await this.repository.update(id, { secretSealed: this.box.seal(secret) });
    return { webhook: toView(row), secret };
  }

  async deliveries(actor: Actor, id: string, offset: number, limit: number) {
    await this.endpoint(actor, id);
    const { items, total } = await this.repository.deliveries(id, offset, limit);
    return { items: items.map(toDeliveryView), total };
  }

  /** Endpoints outside the admin's scope look absent. */
  private async endpoint(actor: Actor, id: string): Promise<EndpointRow> {
    const row = await this.repository.find(id);
    if (!row || (!this.installation(actor) && row.domain !== this.ownDomain(actor))) throw new AppError('not_found', 'No such webhook');
    return row;
  }

  /** Saved URLs are checked now and again at every delivery (DNS may change in between). */
  private async checkUrl(url: string): Promise<void> {
    const host = new URL(url).hostname;
    try {
      await this.outbound.resolve(host);
    } catch (error) {
      if (!(error instanceof OutboundRefusedError)) return;
      this.logger.warn({ event: 'webhook.url_refused', host, address: error.address }, error.message);
      throw new AppError(
        'outbound_not_allowed',
        'The webhook URL leads to a loopback, link-local or private address, which this installation does not allow',
        { field: 'url' },
      );
    }
  }

  private installation(actor: Actor): boolean {
    return actsForInstallation(actor, this.config.GATEHOUSE_DOMAIN);
  }

  private ownDomain(actor: Actor): string {
    if (actor.kind !== 'admin') throw new AppError('forbidden', 'Administrators only');
    return actor.domain;
  }
}

function toView(row: EndpointRow): WebhookView {
  return {
    id: row.id,
    domain: row.domain,
    url: row.url,
    eventTypes: row.eventTypes.filter((type): type is AuditType => AuditType.safeParse(type).success),
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
  };
}

function toDeliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    auditId: row.auditId,
    eventType: row.eventType,
    status: row.status as 'pending' | 'delivered' | 'failed',
    attempts: row.attempts,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}
