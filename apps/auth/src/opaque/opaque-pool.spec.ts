import { randomUUID } from 'node:crypto';
import * as opaque from '@serenity-kit/opaque';
import { AbandonedCalls, type Call, Metrics, isCallGone, runWithRequestId } from '@gatehouse/platform';
import { OpaquePool } from './opaque-pool';

// The test floor's stretching (libs/testing): real OPAQUE on real threads, a few milliseconds each.
const STRETCHING = { memory: 8192, iterations: 1, parallelism: 1 };
const PASSWORD = 'a password for the pool';

describe('OpaquePool', () => {
  let calls: AbandonedCalls;
  let metrics: Metrics;
  let pool: OpaquePool;
  let setup: string;
  let record: string;

  beforeAll(async () => {
    await opaque.ready;
    setup = opaque.server.createSetup();
  });

  beforeEach(async () => {
    calls = new AbandonedCalls();
    metrics = new Metrics('auth');
    pool = new OpaquePool(undefined, calls, metrics);
    record = await pool.register(PASSWORD, setup, 'user-1', STRETCHING);
  });

  afterEach(() => pool.onApplicationShutdown());

  const call = (deadline?: number): Call => {
    const id = randomUUID();
    return { id: () => id, ...(deadline !== undefined ? { deadline } : {}) };
  };
  const verifyIn = (inCall: Call | undefined, password = PASSWORD) =>
    runWithRequestId('request-1', () => pool.verify(password, record, setup, 'user-1', STRETCHING), inCall);
  const dropped = async (reason: string) => {
    const text = await metrics.text();
    return Number(new RegExp(`gatehouse_hashing_dropped_total\\{pool="opaque",reason="${reason}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };

  it('checks passwords inside and outside a call', async () => {
    await expect(verifyIn(undefined)).resolves.toBe(true);
    await expect(verifyIn(call(performance.now() + 60_000))).resolves.toBe(true);
    await expect(verifyIn(call(performance.now() + 60_000), 'not the password')).resolves.toBe(false);
  });

  it('drops the waiting tasks of an abandoned call at once and runs the rest', async () => {
    // more tasks than threads: the pool starts one per thread at once, the rest wait in order
    const busy = Array.from({ length: 8 }, () => verifyIn(undefined));
    expect(pool.backlog).toBe(8);
    const left = call();
    const tasks = Array.from({ length: 3 }, () => verifyIn(left));
    const settled = Promise.allSettled(tasks);

    calls.abandon(left.id());

    const outcomes = await settled;
    expect(outcomes.every((o) => o.status === 'rejected' && isCallGone(o.reason))).toBe(true);
    expect(await Promise.all(busy)).toEqual(Array(8).fill(true));
    expect(await dropped('abandoned')).toBe(3);
    expect(pool.backlog).toBe(0);
  });

  it('drops a task whose call was abandoned before it reached the pool', async () => {
    const left = call();
    calls.abandon(left.id());

    await expect(verifyIn(left)).rejects.toMatchObject({ code: 'service_unavailable', details: { reason: 'call_abandoned' } });
    await expect(verifyIn(call())).resolves.toBe(true);
    expect(await dropped('abandoned')).toBe(1);
  });

  it('drops a task whose caller stopped waiting before a thread was free', async () => {
    await expect(verifyIn(call(performance.now() - 1))).rejects.toMatchObject({ details: { reason: 'call_deadline' } });
    // waiting behind others past its deadline: dropped when its turn comes
    const busy = Array.from({ length: 4 }, () => verifyIn(undefined));
    const late = verifyIn(call(performance.now() + 1));
    await expect(late).rejects.toMatchObject({ details: { reason: 'call_deadline' } });
    await Promise.all(busy);
    expect(await dropped('deadline')).toBe(2);
  });

  it('lets a task that started finish when its call is abandoned meanwhile', async () => {
    const left = call();
    const started = verifyIn(left); // a thread is free: it starts at once
    calls.abandon(left.id());
    await expect(started).resolves.toBe(true);
    expect(await dropped('abandoned')).toBe(0);
  });
});
