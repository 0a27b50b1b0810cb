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
