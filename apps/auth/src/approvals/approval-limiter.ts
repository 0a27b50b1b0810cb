import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { CONFIG, REDIS, runScript } from '@gatehouse/platform';
import type Redis from 'ioredis';
import type { AuthConfig } from '../config';

const COUNT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`;

/** Approval requests per account and window, so a stolen password cannot flood the user's devices and inbox. */
@Injectable()
export class ApprovalLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  async take(userId: string): Promise<void> {
    let result: [number, number];
    try {
      result = (await runScript(this.redis, COUNT, [`approvals:${userId}`], [this.config.APPROVAL_RATE_WINDOW_MS])) as [number, number];
    } catch {
      throw new AppError('service_unavailable', 'Rate limiter unavailable');
    }
    const [count, ttlMs] = result;
    if (count > this.config.APPROVAL_RATE_LIMIT) {
      throw new AppError('rate_limited', 'Too many approval requests for this account; try again later', {
        retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
      });
    }
  }
}
