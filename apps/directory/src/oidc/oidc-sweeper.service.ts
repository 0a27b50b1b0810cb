import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CONFIG, Clock, IntervalScheduler, LOGGER, Logger } from '@gatehouse/platform';
import type { DirectoryConfig } from '../config';
import { OidcStoreRepository } from './oidc-store.repository';

export const OIDC_SWEEP_JOB = 'directory.oidc-sweep';

/** Expired codes, tokens, interactions and grants read as absent at once; this removes their rows (one replica per interval). */
@Injectable()
export class OidcSweeper implements OnModuleInit {
  constructor(
    private readonly store: OidcStoreRepository,
    private readonly scheduler: IntervalScheduler,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: DirectoryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.scheduler.every(OIDC_SWEEP_JOB, this.config.OIDC_SWEEP_INTERVAL_MS, () => this.sweep());
  }

  async sweep(): Promise<number> {
    const removed = await this.store.sweepExpired(this.clock.now());
    if (removed > 0) this.logger.debug({ event: 'oidc.swept', removed }, `removed ${removed} expired OpenID Provider rows`);
    return removed;
  }
}
