import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Argon2Cost, argon2Options, needsRehash, normalisePassword } from '@gatehouse/crypto';
import { AbandonedCalls, CONFIG, LOGGER, Logger, Metrics, outsideCall } from '@gatehouse/platform';
import { argon2CostOf, type AuthConfig } from '../config';
import { availableParallelism } from 'node:os';
import { ThreadQueue } from '../threads/thread-queue';

/** argon2id on low-priority threads (threads/low-priority.ts). */
const WORKER = `
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

/** argon2id (libs/crypto parameters, NFKC) off the event loop, on the hashing threads (threads/thread-queue.ts). */
@Injectable()
export class HashingPool implements OnApplicationShutdown {
  private readonly queue: ThreadQueue;
  /** Made at start, so the first unknown user does not pay for making it (that would tell it apart). */
  private readonly dummy: Promise<string>;
  readonly cost: Argon2Cost;

  constructor(
    @Inject(CONFIG) config: AuthConfig,
    @Inject(LOGGER) logger: Logger,
    @Optional() calls?: AbandonedCalls,
    @Optional() metrics?: Metrics,
  ) {
    this.cost = argon2CostOf(config);
    const threads = Math.max(1, availableParallelism());
    this.queue = new ThreadQueue({
      pool: 'argon2',
      source: WORKER,
      workerData: { argon2Path: require.resolve('@node-rs/argon2'), options: { ...argon2Options(this.cost) } },
      threads,
      started: (priority) =>
        logger.info(
          { event: 'hashing.started', threads, priority, cost: this.cost },
          `argon2id hashing on ${threads} threads at ${priority}`,
        ),
      calls,
      metrics,
      logger,
    });
    this.dummy = outsideCall(() => this.hash('gatehouse-no-such-user-dummy-password'));
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
    await this.queue.close();
  }

  private async run(op: 'verify' | 'hash', password: string, hash?: string): Promise<unknown> {
    const { result, error } = await this.queue.run({ op, hash, password });
    if (error && result === undefined) throw new Error(error);
    return result;
  }
}
