import { Inject, Injectable } from '@nestjs/common';
import { randomSecret } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, REDIS } from '@gatehouse/platform';
import type Redis from 'ioredis';
import type { SessionsConfig } from '../config';

/** Challenge nonces: short-lived, single use (GETDEL), shared by all replicas through Redis. */
@Injectable()
export class NonceStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: SessionsConfig,
    private readonly clock: Clock,
  ) {}

  async issue(sessionId: string): Promise<string> {
    const nonce = randomSecret(32);
    const ttlMs = this.config.CHALLENGE_TTL_SECONDS * 1000;
    try {
      await this.redis.set(this.key(sessionId, nonce), String(this.clock.nowMs() + ttlMs), 'PX', ttlMs);
    } catch {
      throw new AppError('service_unavailable', 'Challenge store unavailable');
    }
    return nonce;
  }

  /** True once for a nonce that was issued for this session and has not expired. */
  async consume(sessionId: string, nonce: string): Promise<boolean> {
    let value: string | null;
    try {
      value = await this.redis.getdel(this.key(sessionId, nonce));
    } catch {
      throw new AppError('service_unavailable', 'Challenge store unavailable');
    }
    return value !== null && Number(value) > this.clock.nowMs();
  }

  private key(sessionId: string, nonce: string): string {
    return `nonce:${sessionId}:${nonce}`;
  }
}
