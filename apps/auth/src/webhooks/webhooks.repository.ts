import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { WebhookDelivery, WebhookEndpoint } from '@gatehouse/db';

export type EndpointRow = WebhookEndpoint;
export type DeliveryRow = WebhookDelivery;

@Injectable()
export class WebhooksRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** `domain` undefined: every endpoint (installation administrators). */
  list(domain?: string): Promise<EndpointRow[]> {
    return this.prisma.webhookEndpoint.findMany({ where: domain === undefined ? {} : { domain }, orderBy: { createdAt: 'asc' } });
  }

  find(id: string): Promise<EndpointRow | null> {
    return this.prisma.webhookEndpoint.findUnique({ where: { id } });
  }

  create(data: {
    domain: string | null;
    url: string;
    secretSealed: string;
    eventTypes: string[];
    enabled: boolean;
    createdAt: Date;
  }): Promise<EndpointRow> {
    return this.prisma.webhookEndpoint.create({ data });
  }

  update(id: string, data: Partial<Pick<EndpointRow, 'url' | 'eventTypes' | 'enabled' | 'secretSealed'>>): Promise<EndpointRow> {
    return this.prisma.webhookEndpoint.update({ where: { id }, data });
  }

  async delete(id: string): Promise<boolean> {
    const [, deleted] = await this.prisma.$transaction([
      this.prisma.webhookDelivery.deleteMany({ where: { endpointId: id } }),
      this.prisma.webhookEndpoint.deleteMany({ where: { id } }),
    ]);
    return deleted.count > 0;
  }

  /** Enabled endpoints that want this event: installation-wide ones and those of the event's domain. */
  subscribers(eventType: string, domain: string | null): Promise<EndpointRow[]> {
    return this.prisma.webhookEndpoint.findMany({
      where: { enabled: true, eventTypes: { has: eventType }, OR: [{ domain: null }, ...(domain ? [{ domain }] : [])] },
    });
  }

  /** One delivery per endpoint and event (unique): a repeated enqueue finds the existing row. */
  async addDelivery(data: { endpointId: string; auditId: string; eventType: string; createdAt: Date }): Promise<DeliveryRow> {
    try {
      return await this.prisma.webhookDelivery.create({ data: { ...data, status: 'pending' } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        return this.prisma.webhookDelivery.findUniqueOrThrow({
          where: { endpointId_auditId: { endpointId: data.endpointId, auditId: data.auditId } },
        });
      }
      throw error;
    }
  }

  findDelivery(id: string): Promise<DeliveryRow | null> {
    return this.prisma.webhookDelivery.findUnique({ where: { id } });
  }

  async markAttempt(
    id: string,
    result: { status: 'pending' | 'delivered' | 'failed'; lastStatus: number | null; lastError: string | null; at: Date },
  ): Promise<void> {
    await this.prisma.webhookDelivery.update({
      where: { id },
      data: {
        status: result.status,
        attempts: { increment: 1 },
        lastStatus: result.lastStatus,
        lastError: result.lastError,
        ...(result.status === 'delivered' ? { deliveredAt: result.at } : {}),
      },
    });
  }

  async deliveries(endpointId: string, offset: number, limit: number): Promise<{ items: DeliveryRow[]; total: number }> {
    const [items, total] = await this.prisma.$transaction([
      this.prisma.webhookDelivery.findMany({
        where: { endpointId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: offset,
        take: limit,
      }),
      this.prisma.webhookDelivery.count({ where: { endpointId } }),
    ]);
    return { items, total };
  }
}
