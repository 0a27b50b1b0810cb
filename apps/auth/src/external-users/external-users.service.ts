import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ReplyOf, DirectorySubjects } from '@gatehouse/contracts';
import { randomBytes } from 'node:crypto';
import { CONFIG, Clock, IntervalScheduler, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { AuditService } from '../audit/audit.service';
import { ExternalUsersRepository } from './external-users.repository';

const RETRY_MS = 60_000;
export const EXTERNAL_USER_SWEEP = 'auth.external-user-sweep';

/**
 * Seed 002 external users: a long generated name, no password (any non-empty one logs in once),
 * deleted 15 minutes after creation if unused and as soon as their session ends.
 */
@Injectable()
export class ExternalUsersService implements OnApplicationBootstrap {
  private sweeping = false;

  constructor(
    private readonly scheduler: IntervalScheduler,
    private readonly repository: ExternalUsersRepository,
    private readonly nats: NatsClient,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Once per interval across the replicas; sessionEnded() sweeps at once besides. */
  onApplicationBootstrap(): void {
    this.scheduler.every(EXTERNAL_USER_SWEEP, this.config.AUTH_SWEEP_INTERVAL_MS, () => this.sweep());
  }

  async create(domain: string, displayName?: string): Promise<ReplyOf<'auth.external-user.create'>> {
    const username = `ext-${randomBytes(24).toString('hex')}`;
    const { user } = await this.nats.send(DirectorySubjects.userCreate, {
      domain,
      username,
      displayName: displayName ?? 'External user',
      external: true,
      admin: false,
    });
    const now = this.clock.now();
    const deleteAt = new Date(now.getTime() + this.config.EXTERNAL_USER_TTL_SECONDS * 1000);
    await this.repository.add(user.id, now, deleteAt);
    return { user, expiresAt: deleteAt.toISOString() };
  }

  /** Blank passwords are refused; the first login with any other one is the only one. */
  async consume(userId: string, password: string): Promise<boolean> {
    if (password.trim() === '') return false;
    return this.repository.markUsed(userId, this.clock.now());
  }

  /** Its session ended (logout, revocation, expiry): the user goes now. */
  async sessionEnded(userId: string): Promise<void> {
    await this.repository.dueNow(userId, this.clock.now());
    await this.sweep();
  }

  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    let deleted = 0;
    try {
      const due = await this.repository.claimDue(this.clock.now(), 100);
      for (const { userId } of due) {
        try {
          await this.nats.send(DirectorySubjects.userDelete, { userId });
          await this.audit.record({ type: 'external_user.deleted', outcome: 'done', userId });
          deleted++;
        } catch (error) {
          await this.repository.putBack(userId, new Date(this.clock.nowMs() + RETRY_MS));
          this.logger.warn({ err: error, userId }, 'could not delete an external user; retrying later');
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'external user sweep failed; the next one retries');
    } finally {
      this.sweeping = false;
    }
    return deleted;
  }
}
