import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { AbandonedCalls, LOGGER, type Logger, Metrics } from '@gatehouse/platform';
import { availableParallelism } from 'node:os';
import { ThreadQueue } from '../threads/thread-queue';

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
const WORKER = `
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

/** OPAQUE's client half on the hashing threads (threads/thread-queue.ts: a task whose call is gone is dropped before it starts). */
@Injectable()
export class OpaquePool implements OnApplicationShutdown {
  private readonly queue: ThreadQueue;

  /** `logger`, `calls` and `metrics` are left out where the pool runs alone (bench/login.ts measures its raw speed). */
  constructor(@Optional() @Inject(LOGGER) logger?: Logger, @Optional() calls?: AbandonedCalls, @Optional() metrics?: Metrics) {
    // Every core, as the argon2id pool: a deployment's passwords are OPAQUE records, so the plain route's logins
    // all stretch here, while argon2id hashing is left for hashes not yet migrated (a thread per core on each
    // pool; both are SCHED_IDLE, so the kernel shares the cores among whichever pool has work).
    const threads = Math.max(1, availableParallelism());
    this.queue = new ThreadQueue({
      pool: 'opaque',
      source: WORKER,
      workerData: { opaquePath: require.resolve('@serenity-kit/opaque') },
      threads,
      started: (priority) =>
        logger?.info(
          { event: 'opaque.stretching.started', threads, priority },
          `OPAQUE key stretching on ${threads} threads at ${priority}`,
        ),
      unref: true,
      calls,
      metrics,
      logger,
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
    await this.queue.close();
  }

  /** Tasks waiting or running now (tests). */
  get backlog(): number {
    return this.queue.backlog;
  }

  private async run(message: Record<string, unknown>): Promise<unknown> {
    const { result, error } = await this.queue.run(message);
    if (error !== undefined) throw new Error(error);
    return result;
  }
}
