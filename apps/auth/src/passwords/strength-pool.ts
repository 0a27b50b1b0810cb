import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { strengthOptions, type EstimateStrength, type StrengthEstimate } from './password-strength';

// The worker gets the options as data (dictionaries and translations are plain JSON) and only runs zxcvbn.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.corePath);
const zxcvbn = new ZxcvbnFactory(workerData.options);
parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const r = zxcvbn.check(password, userInputs);
    parentPort.postMessage({ id, result: {
      guessesLog10: r.guessesLog10,
      sequence: r.sequence.map((m) => ({ pattern: m.pattern, token: m.token })),
      warning: r.feedback.warning,
      suggestions: r.feedback.suggestions,
    } });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

/**
 * zxcvbn on its own thread: a crafted 40-character password costs it a few hundred milliseconds,
 * which must not stall auth's event loop (logins, approvals) for everyone else.
 */
@Injectable()
export class StrengthPool implements OnApplicationShutdown {
  private readonly worker = new Worker(WORKER, {
    eval: true,
    workerData: { corePath: require.resolve('@zxcvbn-ts/core'), options: strengthOptions() },
  });
  private readonly tasks = new Map<number, { resolve(value: StrengthEstimate): void; reject(error: Error): void }>();
  private nextId = 0;

  constructor() {
    this.worker.on('message', ({ id, result, error }: { id: number; result?: StrengthEstimate; error?: string }) => {
      const task = this.tasks.get(id);
      this.tasks.delete(id);
      if (result) task?.resolve(result);
      else task?.reject(new Error(error ?? 'strength check failed'));
    });
    this.worker.unref();
  }

  readonly estimate: EstimateStrength = (password, userInputs) => {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.tasks.set(id, { resolve, reject });
      this.worker.postMessage({ id, password, userInputs });
    });
  };

  async onApplicationShutdown(): Promise<void> {
    await this.worker.terminate();
  }
}
