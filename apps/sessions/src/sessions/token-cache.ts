import { Inject, Injectable } from '@nestjs/common';
import { TokenEntry, accessTokenKey } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { Clock, REDIS } from '@gatehouse/platform';
import type Redis from 'ioredis';

/** The Redis copy of access tokens the gateway reads; PostgreSQL stays the truth. */
@Injectable()
export class TokenCache {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  async put(tokenHash: string, entry: TokenEntry): Promise<void> {
    const ttl = Math.max(1000, entry.expiresAtMs - this.clock.nowMs());
    await this.redis.set(accessTokenKey(tokenHash), JSON.stringify(entry), 'PX', ttl);
  }

  /** Deleting is what makes a revocation immediate, so a Redis failure is an error here. */
  async remove(tokenHashes: string[]): Promise<void> {
    if (tokenHashes.length === 0) return;
    try {
      await this.redis.del(...tokenHashes.map(accessTokenKey));
    } catch {
      throw new AppError('service_unavailable', 'Token store unavailable');
    }
  }
}
