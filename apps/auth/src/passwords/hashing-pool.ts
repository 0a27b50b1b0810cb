import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Argon2Cost, argon2Options, needsRehash, normalisePassword } from '@gatehouse/crypto';
import { CONFIG, LOGGER, Logger } from '@gatehouse/platform';
import { argon2CostOf, type AuthConfig } from '../config';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LOW_PRIORITY_PRELUDE, onPriorities } from '../threads/low-priority';

/** argon2id on low-priority threads (threads/low-priority.ts). */
const WORKER = `${LOW_PRIORITY_PRELUDE}
const argon2 = require(workerData.argon2Path);
parentPort.on('message', ({ id, op, hash, password }) => {
  try {
    // verify takes the cost from the stored hash, so hashes made before a cost change still verify
    const result = op === 'verify' ? argon2.verifySync(hash, password) : argon2.hashSync(password, workerData.options);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, result: op === 'verify' ? false : undefined, error: String(error && error.message) });
  }
});
`;

interface Task {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

/** argon2id (libs/crypto parameters, NFKC) off the event loop, on low-priority worker threads. */
@Injectable()
export class HashingPool implements OnApplicationShutdown {
  private readonly slots: Slot[];
  private readonly tasks = new Map<number, Task>();
  private nextId = 0;
  /** Made at start, so the first unknown user does not pay for making it (that would tell it apart). */
  private readonly dummy: Promise<string>;
  readonly cost: Argon2Cost;

  constructor(@Inject(CONFIG) config: AuthConfig, @Inject(LOGGER) logger: Logger) {
    this.cost = argon2CostOf(config);
    const workerData = { argon2Path: require.resolve('@node-rs/argon2'), options: { ...argon2Options(this.cost) } };
    const count = Math.max(1, availableParallelism());
    // said once, when every thread has its priority
    const reported = onPriorities(count, (priority) =>
      logger.info(
        { event: 'hashing.started', threads: count, priority, cost: this.cost },
        `argon2id hashing on ${count} threads at ${priority}`,
      ),
    );
    this.slots = Array.from({ length: count }, () => {
      const slot: Slot = { worker: new Worker(WORKER, { eval: true, workerData }), inFlight: 0 };
      slot.worker.once('message', ({ priority }: { priority: string }) => {
        reported(priority);
        slot.worker.on('message', ({ id, result, error }: { id: number; result: unknown; error?: string }) => {
          slot.inFlight--;
          const task = this.tasks.get(id);
          this.tasks.delete(id);
          if (error && result === undefined) task?.reject(new Error(error));
          else task?.resolve(result);
        });
      });
      return slot;
    });
    this.dummy = this.hash('gatehouse-no-such-user-dummy-password');
    this.dummy.catch(() => undefined); // a failure surfaces at the first unknown user's login
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    // Unknown users are checked against a hash of the same cost, so both take the same time.
    const hash = passwordHash ?? (await this.dummy);
    return (await this.run('verify', normalisePassword(password), hash)) === true;
  }

  async hash(password: string): Promise<string> {
    return (await this.run('hash', normalisePassword(password))) as string;
  }

  /** Whether a stored hash was made with another cost than the configured one. */
  outdated(passwordHash: string): boolean {
    return needsRehash(passwordHash, this.cost);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private run(op: 'verify' | 'hash', password: string, hash?: string): Promise<unknown> {
    const slot = this.slots.reduce((best, s) => (s.inFlight < best.inFlight ? s : best));
    const id = this.nextId++;
    slot.inFlight++;
    return new Promise((resolve, reject) => {
      this.tasks.set(id, { resolve, reject });
      slot.worker.postMessage({ id, op, hash, password });
    });
  }
}
