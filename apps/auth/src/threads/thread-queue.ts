import { Worker } from 'node:worker_threads';
import { AbandonedCalls, type Call, type Logger, Metrics, callGoneError, currentCall } from '@gatehouse/platform';
import type { Counter } from 'prom-client';
import { LOW_PRIORITY_PRELUDE, onPriorities } from './low-priority';

/** What a worker answers for one task: its result, or the message of what it threw. */
export interface ThreadReply {
  result?: unknown;
  error?: string;
}

export interface ThreadQueueOptions {
  /** The metric's `pool` label and the workers' purpose. */
  pool: 'opaque' | 'argon2';
  /** The worker's own code, run after LOW_PRIORITY_PRELUDE: it answers each `{ id, ...message }` with `{ id, result?, error? }`. */
  source: string;
  workerData: unknown;
  threads: number;
  /** Told once every worker reported the priority it runs at. */
  started?: (priority: string) => void;
  /** Workers that do not keep the process alive (where the queue runs alone, bench/login.ts). */
  unref?: boolean;
  calls?: AbandonedCalls;
  metrics?: Metrics;
  /** Where a thread that stopped is reported (it is replaced). */
  logger?: Logger;
}

interface Slot {
  worker: Worker;
  task?: Task;
  /** Its workers that died in a row before they answered a task (a start that fails, a task that kills every thread). */
  failedStarts: number;
  /** Set while such a worker's replacement waits to be started: no task goes to this slot then. */
  restart?: NodeJS.Timeout;
}

/** A worker that died before it answered a task is replaced after this, doubled for each such death in a row, up to RESTART_MAX_MS. */
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;

interface Task {
  id: number;
  message: Record<string, unknown>;
  call?: Call;
  resolve(reply: ThreadReply): void;
  reject(error: Error): void;
}

/**
 * The hashing threads' queue (argon2id and OPAQUE's key stretching): a low-priority thread per core, one task
 * on each at a time, the rest waiting here in order, so that a task whose call is gone (libs/platform
 * AbandonedCalls: the client left, or its caller stopped waiting) is dropped before it starts. A login the
 * gateway gave up on, or whose client closed the connection, costs nothing more; before, each one queued
 * still took its second of CPU from the logins behind it.
 */
export class ThreadQueue {
  private readonly workers: Slot[];
  private readonly waiting: Task[] = [];
  private nextId = 0;
  private closing = false;
  private readonly dropped?: Counter<'pool' | 'reason'>;
  private readonly stopListening?: () => void;
  private readonly reported: (priority: string) => void;

  constructor(private readonly options: ThreadQueueOptions) {
    this.reported = onPriorities(options.threads, (priority) => options.started?.(priority));
    this.workers = Array.from({ length: options.threads }, () => {
      const slot = { failedStarts: 0 } as Slot;
      this.start(slot);
      return slot;
    });
    this.dropped = options.metrics?.counter(
      'gatehouse_hashing_dropped_total',
      'Hashing tasks dropped before they started: their client left (abandoned) or their caller stopped waiting (deadline)',
      ['pool', 'reason'],
    );
    this.stopListening = options.calls?.onAbandoned((callId) => this.dropCall(callId));
  }

  /** `message` run on a thread, inside the current call: rejected with callGoneError if that call is gone before a thread is free. */
  run(message: Record<string, unknown>): Promise<ThreadReply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, message, call: currentCall(), resolve, reject });
      this.dispatch();
    });
  }

  /** Tasks waiting or running now. */
  get backlog(): number {
    return this.waiting.length + this.workers.filter((slot) => slot.task).length;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const slot of this.workers) clearTimeout(slot.restart);
    this.stopListening?.();
    await Promise.all(this.workers.map((slot) => slot.worker.terminate()));
  }

  /**
   * A new worker in `slot`; one that dies (an out-of-memory thread, a crash in native code) fails its task and is
   * replaced at once. One that dies before it answered any task (its start failed: the WebAssembly did not load, say)
   * would likely die again: its replacement waits RESTART_MIN_MS, doubled for each such death in a row, rather than
   * being started and logged in a tight loop.
   */
  private start(slot: Slot): void {
    const worker = new Worker(`${LOW_PRIORITY_PRELUDE}\n${this.options.source}`, { eval: true, workerData: this.options.workerData });
    slot.worker = worker;
    slot.task = undefined;
    slot.restart = undefined;
    let answered = false;
    worker.once('message', ({ priority }: { priority: string }) => {
      this.reported(priority);
      worker.on('message', ({ result, error }: ThreadReply) => {
        answered = true;
        slot.failedStarts = 0;
        const task = slot.task;
        slot.task = undefined;
        task?.resolve({ result, error });
        this.dispatch();
      });
    });
    let failure: unknown;
    worker.on('error', (error) => (failure = error)); // its exit follows, and is handled there
    worker.once('exit', (code) => {
      if (this.closing || slot.worker !== worker) return;
      if (!answered) slot.failedStarts++;
      const restartInMs = slot.failedStarts === 0 ? 0 : Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** (slot.failedStarts - 1));
      this.options.logger?.error(
        { event: 'hashing.thread_stopped', pool: this.options.pool, code, answered, restartInMs, err: failure },
        `a ${this.options.pool} hashing thread stopped; a new one takes its place${restartInMs ? ` in ${restartInMs} ms` : ''}`,
      );
      slot.task?.reject(new Error(`a ${this.options.pool} hashing thread stopped`));
      slot.task = undefined;
      const restart = () => {
        this.start(slot);
        this.dispatch();
      };
      if (restartInMs === 0) return restart();
      slot.restart = setTimeout(restart, restartInMs);
      slot.restart.unref();
    });
    if (this.options.unref) worker.unref();
  }

  /** Free threads take the oldest waiting tasks whose calls are not gone. */
  private dispatch(): void {
    for (const slot of this.workers) {
      if (slot.task || slot.restart) continue;
      const task = this.next();
      if (!task) return;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, ...task.message });
    }
  }

  private next(): Task | undefined {
    for (let task = this.waiting.shift(); task; task = this.waiting.shift()) {
      const gone = this.options.calls?.gone(task.call);
      if (!gone) return task;
      this.drop(task, gone);
    }
    return undefined;
  }

  private dropCall(callId: string): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const task = this.waiting[i];
      if (task.call?.id() !== callId) continue;
      this.waiting.splice(i, 1);
      this.drop(task, 'abandoned');
    }
  }

  private drop(task: Task, reason: 'abandoned' | 'deadline'): void {
    this.dropped?.inc({ pool: this.options.pool, reason });
    task.reject(callGoneError(reason));
  }
}
