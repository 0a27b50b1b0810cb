import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { sha256 } from '@gatehouse/crypto';
import { BullConnections, LOGGER, Logger, Metrics } from '@gatehouse/platform';
import { Counter, Gauge } from 'prom-client';
import { MailerConfig } from '../config';
import { MAILER_CONFIG } from '../tokens';
import type { MailJob } from './mail-job';
import { MailSender } from './mail-sender';
import { TickBatch } from './tick-batch';

const QUEUE = 'mail';

/** BullMQ queue + worker, on their own Redis connections (BullConnections). */
@Injectable()
export class MailQueue implements OnModuleInit, OnModuleDestroy {
  private readonly redis: BullConnections;
  private readonly queue: Queue<MailJob>;
  private worker?: Worker<MailJob>;
  private readonly sending: Gauge;
  private readonly givenUp: Counter<'kind'>;

  constructor(
    @Inject(MAILER_CONFIG) private readonly config: MailerConfig,
    private readonly sender: MailSender,
    metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.redis = new BullConnections(config.REDIS_URL, config.REDIS_PREFIX);
    this.queue = new Queue<MailJob>(QUEUE, { connection: this.redis.queue, prefix: this.redis.prefix });
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
    this.givenUp = metrics.counter('gatehouse_mail_given_up_total', 'Mails given up after their last failed attempt, by kind', ['kind']);
  }

  onModuleInit(): void {
    this.worker = new Worker<MailJob>(QUEUE, (job: Job<MailJob>) => this.deliver(job), {
      connection: this.redis.worker,
      prefix: this.redis.prefix,
      concurrency: this.config.MAILER_CONCURRENCY,
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
    } catch (error) {
      this.reportFailure(job, error);
      throw error;
    } finally {
      this.sending.dec();
    }
  }

  /** Every failed attempt is a warning, the last one an error (the mail is given up); never a secret or a full address. */
  private reportFailure(job: Job<MailJob>, error: unknown): void {
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    const final = attempt >= attempts;
    const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
    const fields = {
      event: final ? 'mail.given_up' : 'mail.attempt_failed',
      kind: job.data.kind,
      idempotencyKey: job.data.idempotencyKey,
      recipient: maskAddress(job.data.to),
      attempt,
      attempts,
      errorCode: typeof e.code === 'string' ? e.code : undefined,
      smtpCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
      error: String(e.message ?? error).slice(0, 500),
    };
    if (final) {
      this.givenUp.inc({ kind: job.data.kind });
      this.logger.error(fields, `mail ${job.data.kind} given up after ${attempt} attempts: ${fields.error}`);
    } else {
      this.logger.warn(fields, `mail ${job.data.kind} attempt ${attempt} of ${attempts} failed: ${fields.error}`);
    }
  }

  /**
   * The job id derives from the idempotency key (BullMQ refuses ':' in ids), so the same key twice keeps one job.
   * The mails requested in one turn of the event loop go to Redis in one round trip (addBulk); each request is
   * answered once its job is stored.
   */
  enqueue(job: MailJob): Promise<void> {
    return this.adds.add(job);
  }

  private readonly adds = new TickBatch<MailJob, void>(async (jobs) => {
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: 'send',
        data: job,
        opts: {
          jobId: sha256(job.idempotencyKey),
          attempts: this.config.MAILER_RETRY_ATTEMPTS,
          backoff: { type: 'exponential' as const, delay: this.config.MAILER_RETRY_BACKOFF_MS },
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    return jobs.map(() => undefined);
  });

  async onModuleDestroy(): Promise<void> {
    await this.redis.close(this.queue, this.worker);
  }
}

/** `a***@example.com`: enough to tell recipients apart in an incident, not the whole address. */
export const maskAddress = (address: string): string => {
  const at = address.lastIndexOf('@');
  return at <= 0 ? '***' : `${address[0]}***${address.slice(at)}`;
};
