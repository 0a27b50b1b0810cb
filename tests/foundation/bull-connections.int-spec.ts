import { randomBytes } from 'node:crypto';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { testServers, waitFor } from '@gatehouse/testing';
import { BullConnections } from '@gatehouse/platform';

/** Both connections closed for good (ioredis reaches `end` once the socket is gone). */
const ended = (redis: BullConnections) => waitFor(() => redis.queue.status === 'end' && redis.worker.status === 'end', { timeoutMs: 5000 });

/** The Redis side of the BullMQ queues (mail, webhooks, back-channel logouts), against the real Redis and one that went away. */
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
    await ended(redis);
  });

  it('closes at once when Redis went away under a waiting worker (the worker forced), not after its grace', async () => {
    const { redisUrl } = testServers();
    const target = new URL(redisUrl);
    // Redis through a proxy this test can pull: the worker connects, waits for jobs, and then Redis is gone.
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    const redis = new BullConnections(`redis://127.0.0.1:${port}`, `ghtest:${randomBytes(6).toString('hex')}:`);
    const queue = new Queue('bull-spec', { connection: redis.queue, prefix: redis.prefix });
    const worker = new Worker('bull-spec', async () => undefined, { connection: redis.worker, prefix: redis.prefix });
    // refused, over and over once Redis is gone: expected here
    queue.on('error', () => undefined);
    worker.on('error', () => undefined);
    for (const connection of [redis.queue, redis.worker]) connection.on('error', () => undefined);
    await worker.waitUntilReady();
    await waitFor(() => worker.isRunning(), { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // its blocking wait for a job has begun
    proxy.close();
    for (const socket of sockets) socket.destroy();
    await waitFor(() => redis.worker.status !== 'ready', { timeoutMs: 5000 });
    const started = Date.now();
    await redis.close(queue, worker, 20_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    // and no reconnecting left behind (ioredis leaves the status at `reconnecting`, but tries no more)
    let attempts = 0;
    for (const connection of [redis.queue, redis.worker]) connection.on('reconnecting', () => attempts++);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(attempts).toBe(0);
  });
});
