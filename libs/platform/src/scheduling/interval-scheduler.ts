import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { Logger } from '../logging/logger';
import { Metrics } from '../metrics/metrics';
import { runScript } from '../redis/redis';
import { LOGGER, REDIS } from '../tokens';

/**
 * Claims the current interval of a job once, by the Redis server's clock (replicas' clocks may
 * differ): returns the interval's number, or -1 when a replica already claimed it.
 */
const CLAIM_INTERVAL = `
local time = redis.call('TIME')
local interval = tonumber(ARGV[1])
local slot = math.floor((tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)) / interval)
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if slot <= last then return -1 end
redis.call('SET', KEYS[1], slot, 'PX', interval * 2)
return slot`;

export type ScheduledOutcome = 'ran' | 'skipped' | 'busy' | 'ran_unlocked';

interface Job {
  name: string;
  intervalMs: number;
  task: () => Promise<unknown>;
  timer: NodeJS.Timeout;
  running?: Promise<unknown>;
}

/**
 * Timers that run once per interval across all replicas of a service, not once per replica:
 * every replica ticks, and the first tick of each interval claims it in Redis and runs the task.
 * With Redis away the task runs anyway (`ran_unlocked`): the jobs claim their rows with
 * SKIP LOCKED, so overlap costs work, never correctness.
 */
@Injectable()
export class IntervalScheduler implements BeforeApplicationShutdown {
  private readonly jobs = new Map<string, Job>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Runs `task` every `intervalMs` on one replica; `name` (e.g. `sessions.expiry-sweep`) keys the claim and the metrics. */
  every(name: string, intervalMs: number, task: () => Promise<unknown>): void {
    if (this.jobs.has(name)) throw new Error(`job ${name} is already scheduled`);
    const timer = setInterval(() => void this.tick(name), intervalMs);
    timer.unref();
    this.jobs.set(name, { name, intervalMs, task, timer });
  }

  /** One tick of a job, as its timer does it; tests call it to avoid waiting. */
  async tick(name: string): Promise<ScheduledOutcome> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job ${name}`);
    if (job.running) {
      // Still at work from an earlier interval: leave this one to another replica.
      this.count(name, 'busy');
      return 'busy';
    }
    const run = this.claimAndRun(job);
    job.running = run;
    try {
      return await run;
    } finally {
      job.running = undefined;
    }
  }

  /** Stops the timers and lets running tasks finish before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const job of this.jobs.values()) clearInterval(job.timer);
    await Promise.allSettled([...this.jobs.values()].map((job) => job.running));
    this.jobs.clear();
  }

  private async claimAndRun(job: Job): Promise<ScheduledOutcome> {
    const outcome = await this.claim(job);
    this.count(job.name, outcome);
    if (outcome !== 'skipped') {
      await job
        .task()
        .catch((error: unknown) => this.logger.warn({ err: error, job: job.name }, `${job.name} failed; the next interval retries`));
    }
    return outcome;
  }

  private async claim(job: Job): Promise<ScheduledOutcome> {
    try {
      const slot = (await runScript(this.redis, CLAIM_INTERVAL, [`schedule:${job.name}`], [job.intervalMs])) as number;
      if (slot < 0) return 'skipped';
      this.logger.debug({ event: 'schedule.claimed', job: job.name, slot }, `${job.name} runs for interval ${slot}`);
      return 'ran';
    } catch (error) {
      this.logger.warn({ err: error, job: job.name }, `could not claim ${job.name} in Redis; running it anyway`);
      return 'ran_unlocked';
    }
  }

  private count(job: string, outcome: ScheduledOutcome): void {
    this.metrics
      .counter(
        'gatehouse_scheduled_runs_total',
        'Ticks of interval jobs, by job and outcome (ran, skipped: another replica has the interval, busy, ran_unlocked: Redis away)',
        ['job', 'outcome'],
      )
      .inc({ job, outcome });
  }
}
