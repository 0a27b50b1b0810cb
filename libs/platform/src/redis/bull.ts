import type { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';

/**
 * The Redis side of one BullMQ queue and its worker in a process (the mail queue, webhook deliveries, back-channel
 * logouts): two connections of their own, since BullMQ wants `maxRetriesPerRequest: null` and a worker blocks its
 * connection waiting for jobs; the key prefix that every replica shares (`<REDIS_PREFIX>bull`); and the close.
 */
export class BullConnections {
  readonly queue: Redis;
  readonly worker: Redis;
  readonly prefix: string;

  constructor(url: string, redisPrefix: string) {
    this.queue = new Redis(url, { maxRetriesPerRequest: null });
    this.worker = new Redis(url, { maxRetriesPerRequest: null });
    this.prefix = `${redisPrefix}bull`;
  }

  /**
   * Closes the worker and the queue, then cuts both connections. With Redis unreachable BullMQ's close waits for
   * ever, so it gets `graceMs`, and the worker is closed at once (forced) when its connection is not ready: a graceful
   * close would wait on the blocking connection. Jobs it held are taken over by a replica once their locks lapse.
   */
  async close(queue: Queue, worker: Worker | undefined, graceMs = 3000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([worker?.close(this.worker.status !== 'ready'), queue.close()]),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    this.worker.disconnect();
    this.queue.disconnect();
  }
}
