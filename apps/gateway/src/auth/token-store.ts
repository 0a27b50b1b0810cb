import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { TokenEntry, accessTokenKey } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Redis } from '@gatehouse/platform';
import type { GatewayConfig } from '../config';

/**
 * The gateway's read of the access tokens `sessions` writes to Redis. Its own connection with
 * auto-pipelining: under load, concurrent lookups leave in one write instead of one each.
 */
@Injectable()
export class TokenStore implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(@Inject(CONFIG) config: GatewayConfig) {
    this.redis = new Redis(config.REDIS_URL, {
      keyPrefix: config.REDIS_PREFIX,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    this.redis.on('error', () => undefined); // failures surface per lookup as 503
  }

  /** The entry, null when Redis does not hold it; service_unavailable when Redis cannot answer. */
  async find(tokenHash: string): Promise<TokenEntry | null> {
    let raw: string | null;
    try {
      raw = await this.redis.get(accessTokenKey(tokenHash));
    } catch {
      throw new AppError('service_unavailable', 'Token store unavailable');
    }
    return raw ? parseEntry(raw) : null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Entries are written only by `sessions`; a shape check (not a full schema) keeps the hot path cheap. */
function parseEntry(raw: string): TokenEntry | null {
  try {
    const entry = JSON.parse(raw) as TokenEntry;
    const ok =
      typeof entry.userId === 'string' &&
      typeof entry.sessionId === 'string' &&
      typeof entry.domain === 'string' &&
      typeof entry.username === 'string' &&
      typeof entry.admin === 'boolean' &&
      typeof entry.external === 'boolean' &&
      typeof entry.expiresAtMs === 'number';
    return ok ? entry : null;
  } catch {
    return null;
  }
}
