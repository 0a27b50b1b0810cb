import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { REVOKED_BATCH_MAX } from '@gatehouse/contracts';
import { CONFIG, Clock, IntervalScheduler, LOGGER, Logger } from '@gatehouse/platform';
import type { SessionsConfig } from '../config';
import { EndedSession, SessionsRepository } from '../sessions/sessions.repository';
import { SessionsService } from '../sessions/sessions.service';

export const EXPIRY_SWEEP = 'sessions.expiry-sweep';

/** The longest a batch's ended sessions wait for more before they are announced (a slowly paced sweep). */
export const ANNOUNCE_WITHIN_MS = 1000;

/**
 * Ends expired sessions, once per interval across all replicas; SKIP LOCKED keeps even overlapping sweeps
 * from ending one twice.
 *
 * Deletes SESSIONS_SWEEP_BATCH_SIZE at a time (short statements), but announces the ends gathered over
 * several batches together (tokens out of Redis, one `sessions.session.revoked-batch` of up to
 * REVOKED_BATCH_MAX, at least every ANNOUNCE_WITHIN_MS): every listener in every service and gateway pays
 * a fixed cost per message, which at 50 sessions a message was most of the sweep's CPU outside PostgreSQL.
 *
 * Paced as a background job: after a batch that took t ms it waits t × SESSIONS_SWEEP_PAUSE_PERCENT / 100,
 * so that a backlog (a whole day expiring at once) does not take the cores from token checks and logins.
 * It starts gently (SESSIONS_SWEEP_WARMUP_MS): the first batches run cold code, plans and garbage
 * collections in the services and gateways that hear them, and were the worst seconds for token checks.
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
    let gathered: EndedSession[] = [];
    let gatheredSince = 0;
    const announce = async (): Promise<void> => {
      if (gathered.length === 0) return;
      const ended = gathered;
      gathered = [];
      await this.sessions.finish(ended, 'expired');
    };
    const sweepStarted = performance.now();
    try {
      for (;;) {
        const started = performance.now();
        const ended = await this.repository.deleteExpiredBatch(now, batch);
        if (gathered.length === 0) gatheredSince = started;
        gathered.push(...ended);
        total += ended.length;
        const last = ended.length < batch || this.stopping;
        if (last || gathered.length + batch > REVOKED_BATCH_MAX || started - gatheredSince >= ANNOUNCE_WITHIN_MS) await announce();
        if (last) break;
        const worked = performance.now() - started;
        await this.pause((worked * this.config.SESSIONS_SWEEP_PAUSE_PERCENT * this.warmup(started - sweepStarted)) / 100);
        if (this.stopping) {
          await announce();
          break;
        }
      }
    } catch (error) {
      // The rows are gone: their ends are still announced (finish logs a failed announcement; this error wins).
      await announce().catch(() => undefined);
      throw error;
    }
    await this.repository.deleteExpiredTokens(now);
    if (total) this.logger.info({ event: 'sessions.swept', count: total }, `ended ${total} expired session(s)`);
    return total;
  }

  /** The pause's factor `sinceStartMs` into a sweep: 4 at its start, down to 1 at SESSIONS_SWEEP_WARMUP_MS. */
  private warmup(sinceStartMs: number): number {
    const warmupMs = this.config.SESSIONS_SWEEP_WARMUP_MS;
    return warmupMs > 0 && sinceStartMs < warmupMs ? 1 + 3 * (1 - sinceStartMs / warmupMs) : 1;
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
