import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { CONFIG, Clock, IntervalScheduler, LOGGER, Logger } from '@gatehouse/platform';
import type { SessionsConfig } from '../config';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';

export const EXPIRY_SWEEP = 'sessions.expiry-sweep';

/**
 * Ends expired sessions (tokens out of Redis, one `sessions.session.revoked-batch` per batch), once per
 * interval across all replicas; SKIP LOCKED keeps even overlapping sweeps from ending one twice.
 *
 * Paced as a background job: after a batch that took t ms it waits t × SESSIONS_SWEEP_PAUSE_PERCENT / 100,
 * so that a backlog (a whole day expiring at once) does not take the cores from token checks and logins.
 */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;
  private wake?: () => void;

  constructor(
    private readonly scheduler: IntervalScheduler,
    private readonly repository: SessionsRepository,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: SessionsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every(EXPIRY_SWEEP, this.config.SESSIONS_SWEEP_INTERVAL_MS, () => this.sweep());
  }

  /** A paced sweep stops after its current batch (the next interval, on this replica or another, goes on). */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    this.wake?.();
  }

  async sweep(): Promise<number> {
    const now = this.clock.now();
    const batch = this.config.SESSIONS_SWEEP_BATCH_SIZE;
    let total = 0;
    for (;;) {
      const started = performance.now();
      const ended = await this.repository.deleteExpiredBatch(now, batch);
      await this.sessions.finish(ended, 'expired');
      total += ended.length;
      if (ended.length < batch || this.stopping) break;
      await this.pause(((performance.now() - started) * this.config.SESSIONS_SWEEP_PAUSE_PERCENT) / 100);
      if (this.stopping) break;
    }
    await this.repository.deleteExpiredTokens(now);
    if (total) this.logger.info({ event: 'sessions.swept', count: total }, `ended ${total} expired session(s)`);
    return total;
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(), ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (this.wake = undefined));
  }
}
