import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { sha256 } from '@gatehouse/crypto';
import { BullConnections, CONFIG, Clock, LOGGER, Logger, OutboundPolicy, guardedFetch } from '@gatehouse/platform';
import type { DirectoryConfig } from '../config';
import { signLogoutToken } from './logout-token';
import { SigningKeysService } from './signing-keys.service';

export interface BackchannelLogoutJob {
  issuer: string;
  clientId: string;
  uri: string;
  sub: string;
  sid?: string;
  deviceSessionId: string;
}

const QUEUE = 'oidc-backchannel-logout';

/**
 * Back-channel logout deliveries through BullMQ: every app a revoked device signed in to is told,
 * retried with backoff until it answers 2xx or the attempts run out; any replica delivers any job.
 */
@Injectable()
export class BackchannelLogoutQueue implements OnModuleInit, OnModuleDestroy {
  private readonly redis: BullConnections;
  private readonly queue: Queue<BackchannelLogoutJob>;
  private worker?: Worker<BackchannelLogoutJob>;
  private readonly fetch: ReturnType<typeof guardedFetch>;

  constructor(
    @Inject(CONFIG) private readonly config: DirectoryConfig,
    private readonly keys: SigningKeysService,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.redis = new BullConnections(config.REDIS_URL, config.REDIS_PREFIX);
    this.queue = new Queue<BackchannelLogoutJob>(QUEUE, { connection: this.redis.queue, prefix: this.redis.prefix });
    // An admin sets the logout URI: it must not reach into the internal network (OUTBOUND_ALLOWED_NETWORKS).
    this.fetch = guardedFetch(new OutboundPolicy(config.OUTBOUND_ALLOWED_NETWORKS));
  }

  onModuleInit(): void {
    this.worker = new Worker<BackchannelLogoutJob>(QUEUE, (job) => this.deliver(job), {
      connection: this.redis.worker,
      prefix: this.redis.prefix,
      concurrency: 4,
    });
    this.worker.on('error', () => undefined);
  }

  /** One job per device session and app: a second revocation event for the same device adds nothing. */
  async enqueue(job: BackchannelLogoutJob): Promise<void> {
    await this.queue.add('deliver', job, {
      jobId: sha256(`${job.deviceSessionId}\n${job.clientId}`),
      attempts: this.config.OIDC_BACKCHANNEL_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.OIDC_BACKCHANNEL_BACKOFF_MS },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  private async deliver(job: Job<BackchannelLogoutJob>): Promise<void> {
    const { issuer, clientId, uri, sub, sid } = job.data;
    const [signing] = await this.keys.published();
    const logoutToken = signLogoutToken(signing!.jwk, { issuer, clientId, sub, sid, nowSeconds: Math.floor(this.clock.nowMs() / 1000) });
    const fields = { event: 'oidc.backchannel_logout', clientId, attempt: job.attemptsMade + 1 };
    try {
      const response = await this.fetch(uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: logoutToken }),
        signal: AbortSignal.timeout(this.config.OIDC_BACKCHANNEL_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`the app answered ${response.status}`);
      this.logger.info({ ...fields, outcome: 'delivered' }, `back-channel logout delivered to ${clientId}`);
    } catch (error) {
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const message = String((error as Error).message ?? error).slice(0, 300);
      (final ? this.logger.error : this.logger.warn).call(
        this.logger,
        { ...fields, outcome: final ? 'given_up' : 'failed', error: message },
        `back-channel logout to ${clientId} failed: ${message}`,
      );
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.close(this.queue, this.worker);
  }
}
