import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { AuditEntry, WEBHOOK_HEADERS } from '@gatehouse/contracts';
import { hmacSha256Hex, SecretBox } from '@gatehouse/crypto';
import { BullConnections, CONFIG, Clock, guardedFetch, LOGGER, Logger, Metrics, OutboundPolicy } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { AuditListener, AuditService } from '../audit/audit.service';
import { WebhooksRepository } from './webhooks.repository';

interface DeliveryJob {
  deliveryId: string;
  /** The exact bytes sent on every attempt, so a retry carries the same body under a fresh signature. */
  body: string;
}

const QUEUE = 'webhooks';
/** A receiver's answer text kept in the delivery log, no more. */
const ERROR_TEXT_MAX = 300;

/** The signature of one delivery: hex HMAC-SHA256 over `timestamp.body` with the endpoint's secret. */
export const signWebhook = (secret: string, timestamp: string, body: string) => `v1=${hmacSha256Hex(secret, `${timestamp}.${body}`)}`;

/**
 * Audit rows out to webhook endpoints: each row makes one delivery per subscribed endpoint, queued in
 * BullMQ (its own queue) and retried with exponential backoff. The audit write only starts the
 * enqueue and never waits for it, so a dead endpoint never slows a login.
 */
@Injectable()
export class WebhookDispatcher implements AuditListener, OnModuleInit, OnModuleDestroy {
  private readonly redis: BullConnections;
  private readonly queue: Queue<DeliveryJob>;
  private worker?: Worker<DeliveryJob>;
  private readonly send: ReturnType<typeof guardedFetch>;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    audit: AuditService,
    outbound: OutboundPolicy,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.redis = new BullConnections(config.REDIS_URL, config.REDIS_PREFIX);
    this.queue = new Queue<DeliveryJob>(QUEUE, { connection: this.redis.queue, prefix: this.redis.prefix });
    this.send = guardedFetch(outbound);
    audit.listen(this);
  }

  onModuleInit(): void {
    this.worker = new Worker<DeliveryJob>(QUEUE, (job) => this.deliver(job), {
      connection: this.redis.worker,
      prefix: this.redis.prefix,
      concurrency: 8,
    });
    // Failures are retried by BullMQ; the error event only keeps the worker from crashing the process.
    this.worker.on('error', () => undefined);
  }

  recorded(entry: AuditEntry): void {
    void this.enqueue(entry).catch((error: unknown) => this.logger.error({ err: error, auditId: entry.id }, 'webhook enqueue failed'));
  }

  async enqueue(entry: AuditEntry): Promise<void> {
    const endpoints = await this.repository.subscribers(entry.type, entry.domain);
    if (endpoints.length === 0) return;
    const body = JSON.stringify({ type: entry.type, event: entry });
    for (const endpoint of endpoints) {
      const delivery = await this.repository.addDelivery({
        endpointId: endpoint.id,
        auditId: entry.id,
        eventType: entry.type,
        createdAt: this.clock.now(),
      });
      // The delivery id is the job id: the same delivery is never queued twice.
      await this.queue.add(
        'deliver',
        { deliveryId: delivery.id, body },
        {
          jobId: delivery.id,
          attempts: this.config.WEBHOOK_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.WEBHOOK_RETRY_BASE_MS },
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      );
    }
  }

  private async deliver(job: Job<DeliveryJob>): Promise<void> {
    const delivery = await this.repository.findDelivery(job.data.deliveryId);
    // Delivered already (a stalled job taken over) or its endpoint deleted: nothing to send again.
    if (!delivery || delivery.status === 'delivered') return;
    const endpoint = await this.repository.find(delivery.endpointId);
    if (!endpoint || !endpoint.enabled) throw new UnrecoverableError('endpoint deleted or disabled');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await this.send(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Gatehouse-Webhooks/1',
          [WEBHOOK_HEADERS.id]: delivery.id,
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.signature]: signWebhook(this.box.open(endpoint.secretSealed), timestamp, job.data.body),
        },
        body: job.data.body,
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      status = response.status;
      if (response.ok) {
        await this.repository.markAttempt(delivery.id, { status: 'delivered', lastStatus: status, lastError: null, at: this.clock.now() });
        this.count('delivered');
        return;
      }
      error = (await response.text().catch(() => '')).slice(0, ERROR_TEXT_MAX) || `HTTP ${status}`;
    } catch (failure) {
      error = String((failure as Error).message ?? failure).slice(0, ERROR_TEXT_MAX);
    }
    await this.repository.markAttempt(delivery.id, {
      status: final ? 'failed' : 'pending',
      lastStatus: status,
      lastError: error,
      at: this.clock.now(),
    });
    this.count(final ? 'failed' : 'retry');
    this.logger.warn(
      {
        event: final ? 'webhook.given_up' : 'webhook.attempt_failed',
        deliveryId: delivery.id,
        endpointId: endpoint.id,
        status,
        attempt: job.attemptsMade + 1,
      },
      `webhook delivery failed: ${error}`,
    );
    throw new Error(error ?? 'delivery failed');
  }

  private count(outcome: string): void {
    this.metrics.counter('gatehouse_webhook_deliveries_total', 'Webhook delivery attempts by outcome', ['outcome']).inc({ outcome });
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.close(this.queue, this.worker);
  }
}
