import { Inject, Injectable } from '@nestjs/common';
import type { AccountLockView } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { Clock, REDIS, runScript } from '@gatehouse/platform';
import type Redis from 'ioredis';
import { accountLockKeys } from './login-throttle';

/**
 * KEYS: the account counter, the account's set of waiting login keys. ARGV: now.
 * Returns {accountFails, accountLockedUntil, loginLocks, latestLoginLockedUntil}; login keys whose wait is over are dropped from the set.
 */
const STATUS = `
local now = tonumber(ARGV[1])
local accountFails = tonumber(redis.call('HGET', KEYS[1], 'fails') or '0')
local accountUntil = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
local count, latest = 0, 0
for _, key in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local untilMs = tonumber(redis.call('HGET', key, 'lockedUntil') or '0')
  if untilMs > now then
    count = count + 1
    if untilMs > latest then latest = untilMs end
  elseif redis.call('EXISTS', key) == 0 then
    redis.call('SREM', KEYS[2], key)
  end
end
return {accountFails, accountUntil, count, latest}
`;

/** KEYS: as STATUS. Deletes the account counter and every login key in the set (their names are already prefixed), then the set. */
const LIFT = `
local removed = 0
for _, key in ipairs(redis.call('SMEMBERS', KEYS[2])) do removed = removed + redis.call('DEL', key) end
removed = removed + redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
return removed
`;

/**
 * An administrator's view of a user's login waits, and "lift the lock": the account-wide counter and
 * the user's login + address (or device) counters start afresh. Client-address counters (password
 * spraying from one address, any login) belong to no user and are left alone.
 */
@Injectable()
export class AccountLocks {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  async status(userId: string): Promise<AccountLockView> {
    const keys = accountLockKeys(userId);
    const now = this.clock.nowMs();
    const [accountFails, accountUntil, loginLocks, loginUntil] = (await this.call(
      STATUS,
      [keys.account, keys.loginLocks],
      [now],
    )) as number[];
    const accountLocked = accountUntil > now;
    const until = Math.max(accountLocked ? accountUntil : 0, loginLocks > 0 ? loginUntil : 0);
    return {
      locked: until > 0,
      lockedUntil: until > 0 ? new Date(until).toISOString() : null,
      accountFailures: accountFails,
      accountLocked,
      loginLocks,
    };
  }

  async lift(userId: string): Promise<{ lifted: boolean; before: AccountLockView }> {
    const before = await this.status(userId);
    const keys = accountLockKeys(userId);
    const removed = (await this.call(LIFT, [keys.account, keys.loginLocks], [])) as number;
    return { lifted: removed > 0, before };
  }

  private async call(script: string, keys: string[], args: number[]): Promise<unknown> {
    try {
      return await runScript(this.redis, script, keys, args);
    } catch {
      throw new AppError('service_unavailable', 'Login protection unavailable');
    }
  }
}
