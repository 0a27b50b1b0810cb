import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbandonedCalls, createLogger, isCallGone, runWithRequestId } from '@gatehouse/platform';
import { LogCapture } from '@gatehouse/testing';
import { ThreadQueue } from './thread-queue';

// A worker that dies as it starts while workerData.failStart names a file that exists; the threads of the tests below ignore it.
const FAILING_START = `if (workerData.failStart && require('node:fs').existsSync(workerData.failStart)) process.exit(4);`;

// A worker that answers at once, takes `ms` when asked to wait, and dies when asked to.
const SOURCE = `
${FAILING_START}
parentPort.on('message', ({ id, op, ms }) => {
  if (op === 'die') process.exit(3);
  if (op === 'wait') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  parentPort.postMessage({ id, result: op + ' done' });
});
`;

describe('ThreadQueue', () => {
  const logs = new LogCapture();
  let calls: AbandonedCalls;
  let queue: ThreadQueue;

  beforeEach(() => {
    calls = new AbandonedCalls();
    const logger = createLogger({ service: 'auth', level: 'info', destination: logs });
    queue = new ThreadQueue({ pool: 'argon2', source: SOURCE, workerData: {}, threads: 2, calls, logger });
  });
  afterEach(() => queue.close());

  it('runs one task per thread and the rest in order as threads free up', async () => {
    const order: string[] = [];
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((op) => queue.run({ op, ms: 20 }).then((reply) => order.push(String(reply.result))));
    expect(queue.backlog).toBe(5);
    await Promise.all(tasks);
    expect(order.sort()).toEqual(['a done', 'b done', 'c done', 'd done', 'e done']);
    expect(queue.backlog).toBe(0);
  });

  it('fails the task of a thread that dies, replaces the thread and goes on', async () => {
    const died = queue.run({ op: 'die' });
    await expect(died).rejects.toThrow('a argon2 hashing thread stopped');
    expect(logs.where({ event: 'hashing.thread_stopped' })).toEqual([expect.objectContaining({ pool: 'argon2', code: 3 })]);

    const after = await Promise.all(Array.from({ length: 4 }, () => queue.run({ op: 'next' })));
    expect(after.map((reply) => reply.result)).toEqual(Array(4).fill('next done'));
    expect(queue.backlog).toBe(0);
  });

  it('drops only the waiting tasks of a gone call', async () => {
    const blockers = [queue.run({ op: 'wait', ms: 100 }), queue.run({ op: 'wait', ms: 100 })];
    const callId = randomUUID();
    const gone = runWithRequestId('r', () => queue.run({ op: 'gone' }), { id: () => callId });
    const kept = runWithRequestId('r', () => queue.run({ op: 'kept' }), { id: () => randomUUID() });

    calls.abandon(callId);

    expect(isCallGone(await gone.catch((error: unknown) => error))).toBe(true);
    expect((await kept).result).toBe('kept done');
    await Promise.all(blockers);
  });

  it('starts a thread whose start failed again only after a wait, and later tasks wait for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thread-queue-'));
    const flag = join(dir, 'fail');
    writeFileSync(flag, '');
    const failing = new ThreadQueue({
      pool: 'opaque',
      source: SOURCE,
      workerData: { failStart: flag },
      threads: 2,
      calls,
      logger: createLogger({ service: 'auth', level: 'info', destination: logs }),
    });
    try {
      // a task handed to a thread that then dies fails
      await expect(failing.run({ op: 'first' })).rejects.toThrow('a opaque hashing thread stopped');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const task = failing.run({ op: 'after' });
      // each thread died once and waits a second: not started again and again
      const stopped = logs.where({ event: 'hashing.thread_stopped', pool: 'opaque' });
      expect(stopped).toEqual(Array(2).fill(expect.objectContaining({ code: 4, answered: false, restartInMs: 1000 })));
      expect(failing.backlog).toBe(1);

      rmSync(flag);
      // the waits end, the new threads start and take the task
      expect((await task).result).toBe('after done');
      expect(logs.where({ event: 'hashing.thread_stopped', pool: 'opaque' })).toHaveLength(2);
    } finally {
      await failing.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
