import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, Clock, LOGGER, Logger } from '@gatehouse/platform';
import type { SessionsConfig } from '../config';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';

const BATCH = 200;

/** Ends expired sessions (tokens out of Redis, `sessions.session.revoked` announced). Replica-safe. */
@Injectable()
export class ExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly repository: SessionsRepository,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: SessionsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.SESSIONS_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      const now = this.clock.now();
      for (;;) {
        const ended = await this.repository.deleteExpiredBatch(now, BATCH);
        await this.sessions.finish(ended, 'expired');
        total += ended.length;
        if (ended.length < BATCH) break;
      }
      await this.repository.deleteExpiredTokens(now);
      if (total) this.logger.info({ event: 'sessions.swept', count: total }, `ended ${total} expired session(s)`);
    } catch (error) {
      this.logger.warn({ err: error }, 'session sweep failed; the next one retries');
    } finally {
      this.running = false;
    }
    return total;
  }
}
