import { createHash } from 'node:crypto';
import Redis from 'ioredis';

export interface RedisOptions {
  url: string;
  prefix: string;
}

/**
 * ioredis reconnects by itself. Commands fail at once while it is away (no offline queue),
 * so callers can fail closed instead of waiting.
 */
export function createRedis({ url, prefix }: RedisOptions): Redis {
  return new Redis(url, {
    keyPrefix: prefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    lazyConnect: false,
  });
}

export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ]);
    return reply === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export { Redis };

const scriptShas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 (EVALSHA), sending the text only when the server does not have it
 * yet (after a restart or a SCRIPT FLUSH): hot paths then send a few bytes instead of the script.
 */
export async function runScript(redis: Redis, script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
  let sha = scriptShas.get(script);
  if (!sha) scriptShas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
