import { Inject, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '@gatehouse/errors';
import { CONFIG, REDIS, runScript } from '@gatehouse/platform';
import type Redis from 'ioredis';
import type { GatewayConfig } from '../config';

/** One counter per address and window; the first failure opens the window. */
const COUNT = `
local fails = redis.call('INCR', KEYS[1])
if fails == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {fails, redis.call('PTTL', KEYS[1])}
`;

/**
 * Credential guesses, counted per client address: unknown access tokens and API keys (HTTP and the
 * WebSocket's `auth`), wrong poll tokens, wrong challenge proofs. They carry 256 random bits, so this
 * is not what keeps them secret; it stops one address from hammering the lookups.
 * Only failures are counted, so a valid credential never pays for the check.
 */
@Injectable()
export class GuessThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Runs a credential check; a refusal with one of `codes` counts as a guess from `address` (and may become 429). */
  async counting<T>(address: string, codes: readonly ErrorCode[], check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (error) {
      if (error instanceof AppError && codes.includes(error.code)) await this.failed(address);
      throw error;
    }
  }

  /** Counts the failed guess; past the limit the answer becomes 429 until the window ends. */
  async failed(address: string): Promise<void> {
    let result: [number, number];
    try {
      result = (await runScript(this.redis, COUNT, [`guess:${address}`], [this.config.CREDENTIAL_GUESS_WINDOW_MS])) as [number, number];
    } catch {
      throw new AppError('service_unavailable', 'Rate limiter unavailable');
    }
    const [fails, ttlMs] = result;
    if (fails > this.config.CREDENTIAL_GUESS_LIMIT) {
      throw new AppError('rate_limited', 'Too many unknown credentials from this address; try again later', {
        retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
      });
    }
  }
}
