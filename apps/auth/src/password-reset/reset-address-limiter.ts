import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, Clock, REDIS, runScript } from '@gatehouse/platform';
import type Redis from 'ioredis';
import type { AuthConfig } from '../config';

const COUNT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/**
 * Reset requests per client address and window, for known and unknown logins alike, so one address
 * cannot mail many accounts. Windows follow the service clock (the key names the window), so they
 * end at the same moment on every replica.
 */
@Injectable()
export class ResetAddressLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  /** This request's number in the address's current window. */
  async count(address: string): Promise<number> {
    const windowMs = this.config.PASSWORD_RESET_WINDOW_MS;
    const window = Math.floor(this.clock.nowMs() / windowMs);
    return Number(await runScript(this.redis, COUNT, [`password-reset:address:${address}:${window}`], [windowMs * 2]));
  }

  get limit(): number {
    return this.config.PASSWORD_RESET_ADDRESS_LIMIT;
  }
}
