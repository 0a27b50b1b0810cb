// bench/footprint: the one-process system `npm start` runs (tools/standalone/start-all.ts compiled, every
// service and the gateway): time from start to /health/ready answering 200, and its resident memory idle, against
// a bare Fastify process (the floor of any Node.js server here) in the same run. The memory after the
// soak is the soak's own figure (bench/results/soak.json, npm run soak), repeated here when present.
// Run: npm run bench:footprint
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestEnv, freePort, waitFor } from '@gatehouse/testing';
import { compiled, rssBytes, startServer, writeResults } from './support/harness';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? '20');
const root = join(__dirname, '..');
const mib = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);

async function main() {
  const testEnv = await createTestEnv({ LOG_LEVEL: 'silent' });
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [compiled('tools/standalone/start-all.ts')], {
    cwd: root,
    env: { ...process.env, ...testEnv.env, PORT: String(port), METRICS_PORT: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`start-all exited with ${child.exitCode}`);
        return fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const readyMs = performance.now() - started;
    const atReady = rssBytes(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idle = rssBytes(child.pid!);
    const bare = await startServer('bench/support/bare-server.ts');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const bareRss = rssBytes(bare.pid!);
    await bare.stop();
    const soakFile = join(root, 'bench', 'results', 'soak.json');
    const soak = existsSync(soakFile) ? (JSON.parse(readFileSync(soakFile, 'utf8')) as { memory?: unknown; at?: string }) : undefined;
    const summary = {
      secondsToReady: +(readyMs / 1000).toFixed(1),
      rssAtReadyMiB: mib(atReady),
      rssIdleMiB: mib(idle),
      idleSeconds: IDLE_SECONDS,
      bareFastifyRssMiB: mib(bareRss),
      idleVsBare: +(idle / bareRss).toFixed(1),
      afterSoak: soak ? { at: soak.at, memory: soak.memory } : null,
    };
    console.log(JSON.stringify(summary, null, 2));
    writeResults('footprint', summary);
  } finally {
    await new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
    await testEnv.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
