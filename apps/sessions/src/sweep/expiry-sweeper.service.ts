import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG, Clock, IntervalScheduler, LOGGER, Logger } from '@gatehouse/platform';
import type { SessionsConfig } from '../config';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';

const BATCH = 200;

export const EXPIRY_SWEEP = 'sessions.expiry-sweep';

/**
 * Ends expired sessions (tokens out of Redis, `sessions.session.revoked` announced), once per
 * interval across all replicas; SKIP LOCKED keeps even overlapping sweeps from ending one twice.
 */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap {
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

  async sweep(): Promise<number> {
    const now = this.clock.now();
    let total = 0;
    for (;;) {
      const ended = await this.repository.deleteExpiredBatch(now, BATCH);
      await this.sessions.finish(ended, 'expired');
      total += ended.length;
      if (ended.length < BATCH) break;
    }
    await this.repository.deleteExpiredTokens(now);
    if (total) this.logger.info({ event: 'sessions.swept', count: total }, `ended ${total} expired session(s)`);
    return total;
  }
}
