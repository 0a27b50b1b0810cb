import { REVOKED_BATCH_MAX } from '@gatehouse/contracts';
import type { Clock, IntervalScheduler, Logger } from '@gatehouse/platform';
import type { SessionsConfig } from '../config';
import type { EndedSession, SessionsRepository } from '../sessions/sessions.repository';
import type { SessionsService } from '../sessions/sessions.service';
import { ANNOUNCE_WITHIN_MS, ExpirySweeper } from './expiry-sweeper.service';

const BATCH_MS = 30;

/**
 * A repository whose batches each take BATCH_MS, `sizes` of them in turn (a size of -1: that batch fails);
 * records when each started.
 */
function sweeperWith(sizes: number[], pausePercent: number, warmupMs = 0, batchSize = 10) {
  const starts: number[] = [];
  const finished: EndedSession[][] = [];
  const repository = {
    deleteExpiredBatch: async () => {
      starts.push(performance.now());
      await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
      const n = sizes.shift() ?? 0;
      if (n < 0) throw new Error('statement failed');
      return Array.from({ length: n }, (_, i) => ({ id: `s${starts.length}-${i}`, userId: 'u', external: false, tokenHashes: [] }));
    },
    deleteExpiredTokens: async () => 0,
  } as unknown as SessionsRepository;
  const sessions = { finish: async (ended: EndedSession[]) => void finished.push(ended) } as unknown as SessionsService;
  const config = {
    SESSIONS_SWEEP_BATCH_SIZE: batchSize,
    SESSIONS_SWEEP_PAUSE_PERCENT: pausePercent,
    SESSIONS_SWEEP_WARMUP_MS: warmupMs,
  } as SessionsConfig;
  const clock = { now: () => new Date() } as Clock;
  const logger = { info: () => undefined } as unknown as Logger;
  const sweeper = new ExpirySweeper({} as IntervalScheduler, repository, sessions, clock, config, logger);
  return { sweeper, starts, finished };
}

describe('ExpirySweeper announcements', () => {
  it('announces the ends of several batches together, each session once', async () => {
    const { sweeper, finished } = sweeperWith([10, 10, 3], 0);
    expect(await sweeper.sweep()).toBe(23);
    expect(finished.map((batch) => batch.length)).toEqual([23]);
    expect(new Set(finished.flat().map((session) => session.id)).size).toBe(23);
  });

  it('announces before a batch more would pass the most one announcement names', async () => {
    const statement = (2 * REVOKED_BATCH_MAX) / 5; // two fit in one announcement, a third would not
    const { sweeper, finished } = sweeperWith([statement, statement, statement, statement / 4], 0, 0, statement);
    expect(await sweeper.sweep()).toBe(3.25 * statement);
    expect(finished.map((batch) => batch.length)).toEqual([2 * statement, 1.25 * statement]);
  });

  it('announces what it gathered at least every ANNOUNCE_WITHIN_MS in a slowly paced sweep', async () => {
    // batch 30 ms + pause 600 ms: batches start at about 0, 630, 1260, 1890 and 2520 ms
    const { sweeper, finished } = sweeperWith([10, 10, 10, 10, 3], 2000);
    expect(ANNOUNCE_WITHIN_MS).toBeLessThan(1260);
    await sweeper.sweep();
    expect(finished.map((batch) => batch.length)).toEqual([30, 13]);
  });

  it('announces the sessions already deleted when a later batch fails, then fails', async () => {
    const { sweeper, finished } = sweeperWith([10, 10, -1, 10], 0);
    await expect(sweeper.sweep()).rejects.toThrow('statement failed');
    expect(finished.map((batch) => batch.length)).toEqual([20]);
  });
});

describe('ExpirySweeper pacing', () => {
  it('waits after each full batch for the given percentage of the time it took', async () => {
    const { sweeper, starts } = sweeperWith([10, 10, 3], 200);
    expect(await sweeper.sweep()).toBe(23);
    // batch 30 ms + pause 60 ms between starts (timers may run late, never early)
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(BATCH_MS * 3 - 5);
  });

  it('starts gently: the first pause is up to 4× as long, falling to 1× over the warm-up', async () => {
    const { sweeper, starts } = sweeperWith([10, 10, 3], 100, 60_000);
    await sweeper.sweep();
    // batch 30 ms + a pause of nearly 4 × 30 ms (the warm-up has barely begun)
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(BATCH_MS * 4.9);
    const { sweeper: warm, starts: warmStarts } = sweeperWith([10, 10, 3], 100, 1);
    await warm.sweep();
    expect(warmStarts[2] - warmStarts[1]).toBeLessThan(BATCH_MS * 4);
  });

  it('does not pause at 0 %', async () => {
    const { sweeper, starts } = sweeperWith([10, 10, 0], 0);
    await sweeper.sweep();
    expect(starts[2] - starts[0]).toBeLessThan(BATCH_MS * 2 + 40);
  });

  it('stops after the current batch when the application shuts down, cutting the pause short', async () => {
    const { sweeper, finished } = sweeperWith([10, 10, 10, 10], 10_000);
    const sweep = sweeper.sweep();
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS + 20)); // in the first (3 s) pause
    const stopped = performance.now();
    sweeper.beforeApplicationShutdown();
    expect(await sweep).toBe(10);
    expect(performance.now() - stopped).toBeLessThan(100);
    expect(finished).toHaveLength(1);
  });
});
