import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { MailKind } from '@gatehouse/contracts';
import { sha256 } from '@gatehouse/crypto';
import { Metrics } from '@gatehouse/platform';
import { Gauge } from 'prom-client';
import { MailerConfig } from '../config';
import { MAILER_CONFIG } from '../tokens';
import { MailSender } from './mail-sender';

export interface MailJob {
  kind: MailKind;
  to: string;
  language: string;
  data: Record<string, string | number>;
  idempotencyKey: string;
}

const QUEUE = 'mail';

/** BullMQ queue + worker; BullMQ needs its own connections with maxRetriesPerRequest: null. */
@Injectable()
export class MailQueue implements OnModuleInit, OnModuleDestroy {
  private readonly queueConnection: IORedis;
  private readonly workerConnection: IORedis;
  private readonly queue: Queue<MailJob>;
  private worker?: Worker<MailJob>;
  private readonly sending: Gauge;

  constructor(
    @Inject(MAILER_CONFIG) private readonly config: MailerConfig,
    private readonly sender: MailSender,
    metrics: Metrics,
  ) {
    this.queueConnection = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.workerConnection = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue<MailJob>(QUEUE, { connection: this.queueConnection, prefix: this.prefix() });
    const queue = this.queue;
    // Read from Redis at scrape time, so every replica reports the shared queue's depth.
    new Gauge({
      name: 'gatehouse_mail_queue_jobs',
      help: 'Mail jobs in the shared queue, by state (waiting, delayed, active, failed)',
      labelNames: ['state'],
      registers: [metrics.registry],
      async collect() {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'failed').catch(() => null);
        if (!counts) return;
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    });
    this.sending = metrics.gauge('gatehouse_mail_sending', 'Mails this replica is sending right now');
  }

  onModuleInit(): void {
    this.worker = new Worker<MailJob>(QUEUE, (job: Job<MailJob>) => this.deliver(job), {
      connection: this.workerConnection,
      prefix: this.prefix(),
      concurrency: 4,
      // A replica that dies mid-send stops renewing its lock; another takes the job over once the lock lapsed.
      lockDuration: this.config.MAILER_JOB_LOCK_MS,
      stalledInterval: this.config.MAILER_JOB_LOCK_MS,
      // Taken over after up to 3 crashed replicas (BullMQ's default gives up after one). A takeover
      // may resend a mail the dead replica had already handed to SMTP, so the count stays small.
      maxStalledCount: 3,
    });
    // Failures are retried by BullMQ; the error event only keeps the worker from crashing the process.
    this.worker.on('error', () => undefined);
  }

  private async deliver(job: Job<MailJob>): Promise<void> {
    this.sending.inc();
    try {
      await this.sender.deliver(job.data);
    } finally {
      this.sending.dec();
    }
  }

  /** The job id derives from the idempotency key (BullMQ refuses ':' in ids), so the same key twice keeps one job. */
  async enqueue(job: MailJob): Promise<void> {
    await this.queue.add('send', job, {
      jobId: sha256(job.idempotencyKey),
      attempts: this.config.MAILER_RETRY_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.MAILER_RETRY_BACKOFF_MS },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async onModuleDestroy(): Promise<void> {
    // With Redis unreachable BullMQ's close waits for ever; give it a moment, then cut the connections.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([this.worker?.close(), this.queue.close()]),
      new Promise((resolve) => (timer = setTimeout(resolve, 3000))),
    ]);
    clearTimeout(timer);
    this.workerConnection.disconnect();
    this.queueConnection.disconnect();
  }

  private prefix(): string {
    return `${this.config.REDIS_PREFIX}bull`;
  }
}
