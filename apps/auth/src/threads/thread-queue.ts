import { Worker } from 'node:worker_threads';
import { AbandonedCalls, type Call, Metrics, callGoneError, currentCall } from '@gatehouse/platform';
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
}

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
  private readonly workers: Array<{ worker: Worker; task?: Task }>;
  private readonly waiting: Task[] = [];
  private nextId = 0;
  private readonly dropped?: Counter<'pool' | 'reason'>;
  private readonly stopListening?: () => void;

  constructor(private readonly options: ThreadQueueOptions) {
    const reported = onPriorities(options.threads, (priority) => options.started?.(priority));
    const source = `${LOW_PRIORITY_PRELUDE}\n${options.source}`;
    this.workers = Array.from({ length: options.threads }, () => {
      const slot: { worker: Worker; task?: Task } = { worker: new Worker(source, { eval: true, workerData: options.workerData }) };
      slot.worker.once('message', ({ priority }: { priority: string }) => {
        reported(priority);
        slot.worker.on('message', ({ result, error }: ThreadReply) => {
          const task = slot.task;
          slot.task = undefined;
          task?.resolve({ result, error });
          this.dispatch();
        });
      });
      if (options.unref) slot.worker.unref();
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
    this.stopListening?.();
    await Promise.all(this.workers.map((slot) => slot.worker.terminate()));
  }

  /** Free threads take the oldest waiting tasks whose calls are not gone. */
  private dispatch(): void {
    for (const slot of this.workers) {
      if (slot.task) continue;
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
