import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { testServers, waitFor } from '@gatehouse/testing';
import { BullConnections } from './bull';

/** The Redis side of the BullMQ queues (mail, webhooks, back-channel logouts), against the real Redis and none. */
describe('BullConnections', () => {
  it('carries a queue and its worker under <REDIS_PREFIX>bull, and closes both with their connections', async () => {
    const { redisUrl } = testServers();
    const redisPrefix = `ghtest:${randomBytes(6).toString('hex')}:`;
    const redis = new BullConnections(redisUrl, redisPrefix);
    expect(redis.prefix).toBe(`${redisPrefix}bull`);
    const queue = new Queue<{ n: number }>('bull-spec', { connection: redis.queue, prefix: redis.prefix });
    const done: number[] = [];
    const worker = new Worker<{ n: number }>('bull-spec', async (job) => void done.push(job.data.n), {
      connection: redis.worker,
      prefix: redis.prefix,
    });
    try {
      await queue.add('job', { n: 7 }, { removeOnComplete: true });
      await waitFor(() => done.length === 1, { timeoutMs: 10_000 });
      expect(done).toEqual([7]);
      expect(await redis.queue.keys(`${redis.prefix}:bull-spec:*`)).not.toEqual([]);
    } finally {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await redis.close(queue, worker);
    }
    expect(redis.queue.status).toBe('end');
    expect(redis.worker.status).toBe('end');
  });

  it('closes at once when Redis cannot be reached (the worker forced), not after its grace', async () => {
    const redis = new BullConnections('redis://127.0.0.1:1', 'ghtest:none:');
    const queue = new Queue('bull-spec', { connection: redis.queue, prefix: redis.prefix });
    const worker = new Worker('bull-spec', async () => undefined, { connection: redis.worker, prefix: redis.prefix });
    worker.on('error', () => undefined); // connection refused, over and over: expected here
    queue.on('error', () => undefined);
    const started = Date.now();
    await redis.close(queue, worker, 20_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(redis.queue.status).toBe('end');
    expect(redis.worker.status).toBe('end');
  });
});
