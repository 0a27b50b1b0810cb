import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PrivateNats } from './nats-server';
import { portOpen } from './servers';

/** Starts a PrivateNats in a Node process of its own that then ends without stopping it; resolves its port. */
function orphanNats(ending: 'return' | 'throw' | 'kill'): Promise<number> {
  const script = `
    const { PrivateNats } = require(${JSON.stringify(resolve(__dirname, 'nats-server.ts'))});
    PrivateNats.start().then((nats) => {
      process.stdout.write(nats.port + '\\n');
      if (${JSON.stringify(ending)} === 'throw') throw new Error('set-up failed');
      if (${JSON.stringify(ending)} === 'kill') setInterval(() => undefined, 1000);
    });`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((done, fail) => {
    child.stdout.once('data', (chunk: Buffer) => {
      const port = Number(String(chunk).trim());
      if (ending === 'kill') child.kill('SIGKILL');
      child.once('exit', () => done(port));
    });
    child.once('error', fail);
  });
}

async function closedWithin(port: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    if (!(await portOpen('127.0.0.1', port, 200))) return true;
  }
  return false;
}

describe("a test file's private nats-server", () => {
  it.each(['return', 'throw', 'kill'] as const)(
    'goes away with the process that started it when that process ends without stop() (%s)',
    async (ending) => {
      const port = await orphanNats(ending);
      expect(await closedWithin(port, 5000)).toBe(true);
    },
  );

  it('stops and resumes on the same port (outage tests)', async () => {
    const nats = await PrivateNats.start();
    try {
      await nats.stop();
      expect(await portOpen('127.0.0.1', nats.port, 200)).toBe(false);
      await nats.resume();
      expect(await portOpen('127.0.0.1', nats.port, 200)).toBe(true);
    } finally {
      await nats.stop();
    }
  });
});
