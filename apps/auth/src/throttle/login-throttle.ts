import { Inject, Injectable } from '@nestjs/common';
import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, REDIS, runScript } from '@gatehouse/platform';
import type Redis from 'ioredis';
import type { AuthConfig } from '../config';

/**
 * Reserves one attempt on three counters at once, before the password is checked: the login name
 * from this address (or from this known device), the client address, and the account. The attempt
 * counts as a failure until it succeeds, so parallel guesses each get their own number and none
 * slip past a lock. Login+address and address lock from their free-th failure on for
 * base * 2^(n - free), up to the cap; the account from its free-th consecutive failure on for the
 * cap, but only for addresses and devices the owner has not signed in from (NIST SP 800-63B-4).
 * KEYS: login, address, account, known-address marker, the account's set of waiting login keys (so an
 * admin can lift them: AccountLocks). ARGV: now, the three free counts, base, cap, ttl, 1 when a device
 * of the account's owner asks, 1 when the login names an account. Returns {allowed, retryMs, accountFails, loginLockMs, accountLockMs}.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local device = ARGV[8] == '1'
local check = {true, not device, not device and redis.call('EXISTS', KEYS[4]) == 0}
local wait = 0
for i = 1, 3 do
  if check[i] then
    local locked = tonumber(redis.call('HGET', KEYS[i], 'lockedUntil') or '0')
    if locked - now > wait then wait = locked - now end
  end
end
if wait > 0 then return {0, wait, 0, 0, 0} end
local base, cap, ttl = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local result = {1, 0, 0, 0, 0}
for i = 1, 3 do
  local fails = redis.call('HINCRBY', KEYS[i], 'fails', 1)
  local free = tonumber(ARGV[i + 1])
  if fails >= free then
    local delay = cap
    if i < 3 then delay = math.min(base * 2 ^ math.min(fails - free, 40), cap) end
    redis.call('HSET', KEYS[i], 'lockedUntil', now + delay)
    if i == 1 then
      result[4] = delay
      if ARGV[9] == '1' then
        redis.call('SADD', KEYS[5], KEYS[1])
        redis.call('PEXPIRE', KEYS[5], ttl)
      end
    end
    if i == 3 and fails == free then result[5] = delay end
  end
  if i == 3 then result[3] = fails end
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return result
`;

/**
 * Success: the login+address pair and the account start afresh, the address gets back the attempt
 * it reserved, and the address becomes known to the account. ARGV: address free count, known ttl.
 */
const SUCCEED = `
redis.call('DEL', KEYS[1], KEYS[3])
if redis.call('EXISTS', KEYS[2]) == 1 then
  local fails = redis.call('HINCRBY', KEYS[2], 'fails', -1)
  if fails < tonumber(ARGV[1]) then redis.call('HDEL', KEYS[2], 'lockedUntil') end
end
redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
return 1
`;

/** The attempt was not decided (e.g. the domain controller could not be asked): every counter gets it back. */
const REFUND = `
for i = 1, 3 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local fails = redis.call('HINCRBY', KEYS[i], 'fails', -1)
    if fails < tonumber(ARGV[i]) then redis.call('HDEL', KEYS[i], 'lockedUntil') end
  end
end
return 1
`;

const DAY_MS = 86_400_000;

/** A known account's Redis keys: its account-wide counter and the set of its login keys that began a wait. */
export const accountLockKeys = (userId: string) => ({ account: `bf:acct:${userId}`, loginLocks: `bf:locks:${userId}` });
/** An address the owner signed in from stays exempt from the account-wide lock this long after the last success. */
const KNOWN_ADDRESS_TTL_MS = 30 * DAY_MS;

export interface LoginAttempt {
  /** The account, when the login names one; null for unknown logins (counted by name alike). */
  userId: string | null;
  /** The login as typed (username, username@domain or email); counted trimmed and lower-cased. */
  login: string;
  address: string;
  /** A live session of this same account that the requesting device proved (its access token). */
  deviceSessionId?: string;
}

export interface Reservation {
  loginKey: string;
  addressKey: string;
  accountKey: string;
  knownKey: string;
  accountFails: number;
  /** Set when this attempt began a wait (for the audit): on the login from this address/device, or on the whole account. */
  lockMs: number;
  lockScope: 'login' | 'account' | null;
}

/**
 * Login throttling (README "Throttling and lockout"). Known and unknown logins are counted the
 * same way, so neither answers nor waits tell whether an account exists.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  /** Throws rate_limited (with retryAfterSeconds) while locked; service_unavailable without Redis. */
  async reserve(attempt: LoginAttempt): Promise<Reservation> {
    const login = sha256(attempt.login.trim().toLowerCase());
    const address = sha256(attempt.address);
    const device = attempt.userId !== null && attempt.deviceSessionId !== undefined;
    const keys = {
      loginKey: device
        ? `bf:login-device:${sha256(`${login}\n${attempt.deviceSessionId}`)}`
        : `bf:login-addr:${sha256(`${login}\n${address}`)}`,
      addressKey: `bf:addr:${address}`,
      // One counter per account covers every spelling of its login; an unknown login is its own "account".
      accountKey: attempt.userId ? accountLockKeys(attempt.userId).account : `bf:login:${login}`,
      // Unknown logins never succeed, so their marker is never set.
      knownKey: `bf:known:${attempt.userId ?? '-'}:${address}`,
    };
    const c = this.config;
    const reply = (await this.call(
      RESERVE,
      [keys.loginKey, keys.addressKey, keys.accountKey, keys.knownKey, accountLockKeys(attempt.userId ?? '-').loginLocks],
      [
        this.clock.nowMs(),
        c.THROTTLE_LOGIN_FREE_ATTEMPTS,
        c.THROTTLE_ADDRESS_FREE_ATTEMPTS,
        c.THROTTLE_ACCOUNT_FREE_ATTEMPTS,
        c.THROTTLE_BASE_DELAY_MS,
        c.THROTTLE_MAX_DELAY_MS,
        c.THROTTLE_MAX_DELAY_MS + DAY_MS,
        device ? 1 : 0,
        attempt.userId ? 1 : 0,
      ],
    )) as number[];
    if (reply[0] !== 1) {
      throw new AppError('rate_limited', 'Too many failed logins; try again later', {
        retryAfterSeconds: Math.max(1, Math.ceil(reply[1] / 1000)),
      });
    }
    const lockScope = reply[4] > 0 ? 'account' : reply[3] > 0 ? 'login' : null;
    return { ...keys, accountFails: reply[2], lockMs: Math.max(reply[3], reply[4]), lockScope };
  }

  async succeeded(reservation: Reservation): Promise<void> {
    await this.call(
      SUCCEED,
      [reservation.loginKey, reservation.addressKey, reservation.accountKey, reservation.knownKey],
      [this.config.THROTTLE_ADDRESS_FREE_ATTEMPTS, KNOWN_ADDRESS_TTL_MS],
    );
  }

  /** For an attempt that could not be decided (not the user's fault): it no longer counts as a failure. */
  async refund(reservation: Reservation): Promise<void> {
    const c = this.config;
    await this.call(
      REFUND,
      [reservation.loginKey, reservation.addressKey, reservation.accountKey],
      [c.THROTTLE_LOGIN_FREE_ATTEMPTS, c.THROTTLE_ADDRESS_FREE_ATTEMPTS, c.THROTTLE_ACCOUNT_FREE_ATTEMPTS],
    );
  }

  private async call(script: string, keys: string[], args: number[]): Promise<unknown> {
    try {
      return await runScript(this.redis, script, keys, args);
    } catch {
      // Without Redis no attempt can be counted: refuse rather than let guesses through.
      throw new AppError('service_unavailable', 'Login protection unavailable');
    }
  }
}
