import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { LOGGER, type Logger } from '@gatehouse/platform';
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

@Injectable()
export class OpaquePool implements OnApplicationShutdown {
  private readonly workers: Array<{ worker: Worker; inFlight: number }>;
  private readonly tasks = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;

  /** `logger` is left out where the pool runs alone (bench/login.ts measures its raw speed). */
  constructor(@Optional() @Inject(LOGGER) logger?: Logger) {
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
      const slot = { worker: new Worker(WORKER, { eval: true, workerData }), inFlight: 0 };
      slot.worker.once('message', ({ priority }: { priority: string }) => {
        reported(priority);
        slot.worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
          slot.inFlight--;
          const task = this.tasks.get(id);
          this.tasks.delete(id);
          if (error !== undefined) task?.reject(new Error(error));
          else task?.resolve(result);
        });
      });
      slot.worker.unref();
      return slot;
    });
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
    await Promise.all(this.workers.map((slot) => slot.worker.terminate()));
  }

  private run(message: Record<string, unknown>): Promise<unknown> {
    const slot = this.workers.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    const id = this.nextId++;
    slot.inFlight++;
    return new Promise((resolve, reject) => {
      this.tasks.set(id, { resolve, reject });
      slot.worker.postMessage({ id, ...message });
    });
  }
}
