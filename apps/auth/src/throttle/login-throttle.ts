import { Inject, Injectable } from '@nestjs/common';
import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, REDIS, runScript } from '@gatehouse/platform';
import type Redis from 'ioredis';
import type { AuthConfig } from '../config';

/**
 * Reserves one attempt on the account and the client address at once, before the password is
 * checked: the attempt counts as a failure until it succeeds, so parallel guesses each get their
 * own number and none slip past a lock. From the free-th failure on, each one locks for
 * base * 2^(n - free), up to the cap; when the wait is over the right password works again.
 * Returns {allowed, retryMs, accountFails, lockedNow}.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local wait = 0
for i = 1, 2 do
  local locked = tonumber(redis.call('HGET', KEYS[i], 'lockedUntil') or '0')
  if locked - now > wait then wait = locked - now end
end
if wait > 0 then return {0, wait, 0, 0} end
local base, cap, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local result = {1, 0, 0, 0}
for i = 1, 2 do
  local fails = redis.call('HINCRBY', KEYS[i], 'fails', 1)
  local free = tonumber(ARGV[i + 1])
  if fails >= free then
    local delay = math.min(base * 2 ^ math.min(fails - free, 40), cap)
    redis.call('HSET', KEYS[i], 'lockedUntil', now + delay)
    if i == 1 then result[4] = delay end
  end
  if i == 1 then result[3] = fails end
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return result
`;

/** Success: the account starts afresh; the address gets back the attempt it reserved. */
const SUCCEED = `
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  local fails = redis.call('HINCRBY', KEYS[2], 'fails', -1)
  if fails < tonumber(ARGV[1]) then redis.call('HDEL', KEYS[2], 'lockedUntil') end
end
return 1
`;

const DAY_MS = 86_400_000;

export interface Reservation {
  accountKey: string;
  addressKey: string;
  accountFails: number;
  /** Set when this attempt locked the account (for the audit). */
  lockMs: number;
}

@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  /** One counter per account covers every way in; unknown logins are counted by name alike. */
  static accountKey(userId: string | null, login: string): string {
    return userId ? `bf:acct:${userId}` : `bf:login:${sha256(login.trim().toLowerCase())}`;
  }

  /** Throws rate_limited (with retryAfterSeconds) while locked; service_unavailable without Redis. */
  async reserve(accountKey: string, address: string): Promise<Reservation> {
    const addressKey = `bf:addr:${sha256(address)}`;
    const c = this.config;
    const reply = (await this.call(RESERVE, accountKey, addressKey, [
      this.clock.nowMs(),
      c.THROTTLE_ACCOUNT_FREE_ATTEMPTS,
      c.THROTTLE_ADDRESS_FREE_ATTEMPTS,
      c.THROTTLE_BASE_DELAY_MS,
      c.THROTTLE_MAX_DELAY_MS,
      c.THROTTLE_MAX_DELAY_MS + DAY_MS,
    ])) as number[];
    if (reply[0] !== 1) {
      throw new AppError('rate_limited', 'Too many failed logins; try again later', { retryAfterSeconds: Math.max(1, Math.ceil(reply[1] / 1000)) });
    }
    return { accountKey, addressKey, accountFails: reply[2], lockMs: reply[3] };
  }

  async succeeded(reservation: Reservation): Promise<void> {
    await this.call(SUCCEED, reservation.accountKey, reservation.addressKey, [this.config.THROTTLE_ADDRESS_FREE_ATTEMPTS]);
  }

  private async call(script: string, key1: string, key2: string, args: number[]): Promise<unknown> {
    try {
      return await runScript(this.redis, script, [key1, key2], args);
    } catch {
      // Without Redis no attempt can be counted: refuse rather than let guesses through.
      throw new AppError('service_unavailable', 'Login protection unavailable');
    }
  }
}
