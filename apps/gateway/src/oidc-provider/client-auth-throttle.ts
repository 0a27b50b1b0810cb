import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, REDIS, runScript } from '@gatehouse/platform';
import type Redis from 'ioredis';
import type { GatewayConfig } from '../config';

const COUNT = `
local fails = redis.call('INCR', KEYS[1])
if fails == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return fails`;

/**
 * App secrets are chosen by admins and may be weak: failed client authentications at the token,
 * introspection and revocation endpoints are counted per client address (CREDENTIAL_GUESS_LIMIT per
 * CREDENTIAL_GUESS_WINDOW_MS), and past the limit that address waits. Only failures count.
 */
@Injectable()
export class ClientAuthThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Seconds to wait, or 0 when the address may try. */
  async retryAfter(address: string): Promise<number> {
    const key = this.key(address);
    const [fails, ttlMs] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    return Number(fails ?? 0) >= this.config.CREDENTIAL_GUESS_LIMIT ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0;
  }

  async failed(address: string): Promise<void> {
    await runScript(this.redis, COUNT, [this.key(address)], [this.config.CREDENTIAL_GUESS_WINDOW_MS]);
  }

  private key(address: string): string {
    return `oidc-client-guess:${address}`;
  }
}
