import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { AbandonedCalls, type Call, LOGGER, type Logger, Metrics, callGoneError, currentCall } from '@gatehouse/platform';
import type { Counter } from 'prom-client';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LOW_PRIORITY_PRELUDE, onPriorities } from '../threads/low-priority';

/** argon2id parameters of OPAQUE's key stretching (the library's `argon2id-custom`). */
export interface KeyStretching {
  memory: number;
  iterations: number;
  parallelism: number;
}

// The client half of OPAQUE run by the server itself (both halves in Node, @serenity-kit/opaque):
// registering a password that arrived in plain (admin, reset link, first admin, argon2id migration)
// and checking one on the plain route. Its key stretching takes a second of CPU: never on the event loop,
// and on low-priority threads (threads/low-priority.ts), as argon2id hashing.
const WORKER = `${LOW_PRIORITY_PRELUDE}
const opaque = require(workerData.opaquePath);
const stretch = (ks) => ({ 'argon2id-custom': { memory: ks.memory, iterations: ks.iterations, parallelism: ks.parallelism } });
parentPort.on('message', async ({ id, op, password, serverSetup, userIdentifier, record, keyStretching }) => {
  try {
    await opaque.ready;
    if (op === 'register') {
      const start = opaque.client.startRegistration({ password });
      const { registrationResponse } = opaque.server.createRegistrationResponse({ serverSetup, userIdentifier, registrationRequest: start.registrationRequest });
      const { registrationRecord } = opaque.client.finishRegistration({ clientRegistrationState: start.clientRegistrationState, registrationResponse, password, keyStretching: stretch(keyStretching) });
      parentPort.postMessage({ id, result: registrationRecord });
    } else {
      const start = opaque.client.startLogin({ password });
      const server = opaque.server.startLogin({ serverSetup, registrationRecord: record, startLoginRequest: start.startLoginRequest, userIdentifier });
      const finish = opaque.client.finishLogin({ clientLoginState: start.clientLoginState, loginResponse: server.loginResponse, password, keyStretching: stretch(keyStretching) });
      if (!finish) return parentPort.postMessage({ id, result: false });
      const { sessionKey } = opaque.server.finishLogin({ serverLoginState: server.serverLoginState, finishLoginRequest: finish.finishLoginRequest });
      parentPort.postMessage({ id, result: sessionKey === finish.sessionKey });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

interface Task {
  id: number;
  message: Record<string, unknown>;
  call?: Call;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Runs the stretching on a thread per core, one task per thread at a time; the rest wait here, in order, so
 * that a task whose call is gone (libs/platform AbandonedCalls: the client left, or its wait ran out) is
 * dropped before it starts. A login the gateway gave up on, or whose client closed the connection, costs
 * nothing more; before, every one queued still took its second of CPU from the logins behind it.
 */
@Injectable()
export class OpaquePool implements OnApplicationShutdown {
  private readonly workers: Array<{ worker: Worker; task?: Task }>;
  private readonly waiting: Task[] = [];
  private nextId = 0;
  private readonly dropped?: Counter<'reason'>;
  private readonly stopListening?: () => void;

  /** `logger`, `calls` and `metrics` are left out where the pool runs alone (bench/login.ts measures its raw speed). */
  constructor(
    @Optional() @Inject(LOGGER) logger?: Logger,
    @Optional() private readonly calls?: AbandonedCalls,
    @Optional() metrics?: Metrics,
  ) {
    const workerData = { opaquePath: require.resolve('@serenity-kit/opaque') };
    // Every core, as the argon2id pool: a deployment's passwords are OPAQUE records, so the plain route's logins
    // all stretch here, while argon2id hashing is left for hashes not yet migrated (a thread per core on each
    // pool; both are SCHED_IDLE, so the kernel shares the cores among whichever pool has work).
    const count = Math.max(1, availableParallelism());
    const reported = onPriorities(count, (priority) =>
      logger?.info(
        { event: 'opaque.stretching.started', threads: count, priority },
        `OPAQUE key stretching on ${count} threads at ${priority}`,
      ),
    );
    this.workers = Array.from({ length: count }, () => {
      const slot: { worker: Worker; task?: Task } = { worker: new Worker(WORKER, { eval: true, workerData }) };
      slot.worker.once('message', ({ priority }: { priority: string }) => {
        reported(priority);
        slot.worker.on('message', ({ result, error }: { id: number; result?: unknown; error?: string }) => {
          const task = slot.task;
          slot.task = undefined;
          if (error !== undefined) task?.reject(new Error(error));
          else task?.resolve(result);
          this.dispatch();
        });
      });
      slot.worker.unref();
      return slot;
    });
    this.dropped = metrics?.counter(
      'gatehouse_opaque_stretching_dropped_total',
      'OPAQUE stretching tasks dropped before they started: their client left (abandoned) or stopped waiting (deadline)',
      ['reason'],
    );
    this.stopListening = calls?.onAbandoned((callId) => this.dropCall(callId));
  }

  /** A registration record for `password`, as a client registering it would make it. */
  async register(password: string, serverSetup: string, userIdentifier: string, keyStretching: KeyStretching): Promise<string> {
    return (await this.run({ op: 'register', password, serverSetup, userIdentifier, keyStretching })) as string;
  }

  /** Whether `password` opens `record` (null: a fake record, so an unknown user costs the same). */
  async verify(
    password: string,
    record: string | null,
    serverSetup: string,
    userIdentifier: string,
    keyStretching: KeyStretching,
  ): Promise<boolean> {
    return (await this.run({ op: 'verify', password, record, serverSetup, userIdentifier, keyStretching })) === true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    await Promise.all(this.workers.map((slot) => slot.worker.terminate()));
  }

  /** Tasks waiting or running now (health and tests). */
  get backlog(): number {
    return this.waiting.length + this.workers.filter((slot) => slot.task).length;
  }

  private run(message: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, message, call: currentCall(), resolve, reject });
      this.dispatch();
    });
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
      const gone = this.calls?.gone(task.call);
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
    this.dropped?.inc({ reason });
    task.reject(callGoneError(reason));
  }
}
