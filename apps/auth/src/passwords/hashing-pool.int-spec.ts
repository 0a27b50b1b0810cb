import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ARGON2_MINIMUM } from '@gatehouse/crypto';
import { randomUUID } from 'node:crypto';
import { AbandonedCalls, Metrics, createLogger, isCallGone, runWithRequestId } from '@gatehouse/platform';
import { LogCapture, waitFor } from '@gatehouse/testing';
import type { AuthConfig } from '../config';
import { HashingPool } from './hashing-pool';

const SCHED_IDLE = 5;

/** Scheduling policy of each of this process's threads (field 41 of /proc/<pid>/task/<tid>/stat). */
function threadPolicies(): { name: string; policy: number }[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on
      return [{ name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), policy: Number(fields[41 - 3]) }];
    } catch {
      return []; // the thread ended while we read
    }
  });
}

describe('HashingPool', () => {
  const logs = new LogCapture();
  const calls = new AbandonedCalls();
  const metrics = new Metrics('auth');
  let pool: HashingPool;

  beforeAll(() => {
    const config = { ARGON2_MEMORY_KIB: ARGON2_MINIMUM.memoryKiB, ARGON2_PASSES: ARGON2_MINIMUM.passes } as AuthConfig;
    pool = new HashingPool(config, createLogger({ service: 'auth', level: 'info', destination: logs }), calls, metrics);
  });
  afterAll(() => pool.onApplicationShutdown());

  it('hashes on one SCHED_IDLE thread per core, and says so once', async () => {
    await waitFor(() => logs.where({ event: 'hashing.started' }).length === 1);
    expect(logs.where({ event: 'hashing.started' })[0]).toMatchObject({ priority: 'SCHED_IDLE', threads: availableParallelism() });

    // at least: a Jest worker may still hold threads of an earlier test file's pool while they end
    const idle = threadPolicies().filter((thread) => thread.policy === SCHED_IDLE);
    expect(idle.length).toBeGreaterThanOrEqual(availableParallelism());
    // the rest of the process (its event loop among them) keeps the normal policy
    expect(threadPolicies().find((thread) => thread.name !== 'WorkerThread' && thread.policy === SCHED_IDLE)).toBeUndefined();
  });

  it('hashes and verifies at that priority', async () => {
    const hash = await pool.hash('correct horse battery staple');
    await expect(pool.verify(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(pool.verify(hash, 'correct horse battery stapler')).resolves.toBe(false);
    await expect(pool.verify(null, 'correct horse battery staple')).resolves.toBe(false);
  });

  it('drops the waiting checks of a call whose client left, and finishes the others', async () => {
    const hash = await pool.hash('correct horse battery staple');
    const busy = Array.from({ length: availableParallelism() + 4 }, () => pool.verify(hash, 'correct horse battery staple'));
    const callId = randomUUID();
    const left = runWithRequestId('r', () => pool.verify(hash, 'correct horse battery staple'), { id: () => callId });

    calls.abandon(callId);

    expect(isCallGone(await left.catch((error: unknown) => error))).toBe(true);
    expect(await Promise.all(busy)).toEqual(busy.map(() => true));
    expect(await metrics.text()).toMatch(/gatehouse_hashing_dropped_total\{pool="argon2",reason="abandoned",service="auth"\} 1/);
  });
});
