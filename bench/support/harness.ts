import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { ProbeFigures, ProbeOptions } from './latency-probe';

const root = join(__dirname, '..', '..');

export interface Server {
  url: string;
  env?: Record<string, string>;
  stop(): Promise<void>;
}

/** Gatehouse's services in one process and its gateway in another, as deployed. */
export async function startGatehouse(): Promise<Server> {
  const services = await startServer('bench/support/gatehouse-server.ts', { BENCH_ROLE: 'services' });
  const gateway = await startServer('bench/support/gatehouse-server.ts', {
    BENCH_ROLE: 'gateway',
    BENCH_ENV: JSON.stringify(services.env),
  });
  return {
    url: gateway.url,
    stop: async () => {
      await gateway.stop();
      await services.stop();
    },
  };
}

/** Starts a server script in its own process and waits for its `{ ready, url }` line. */
export function startServer(script: string, env: Record<string, string> = {}): Promise<Server> {
  // BENCH_NODE_ARGS (e.g. --cpu-prof) goes to the server processes, for profiling.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, ...(script.endsWith('.mjs') ? [script] : ['-r', '@swc-node/register', script])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{"ready"'));
      if (!line) return;
      const { url, env: childEnv } = JSON.parse(line) as { url: string; env?: Record<string, string> };
      child.removeAllListeners('exit');
      resolve({
        url,
        env: childEnv,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    });
  });
}

export interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export async function load(options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ duration: 10, connections: 50, ...options });
  return {
    // completed requests over the run's length: per-second averages of 10 samples round away a few percent at 30/s
    requestsPerSecond: +(result.requests.total / result.duration).toFixed(1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** The latency probe (latency-probe.ts) in its own process, so no other load shares its event loop. */
export function probeLatency(options: ProbeOptions): Promise<ProbeFigures> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'bench/support/latency-probe.ts'], {
    cwd: root,
    env: { ...process.env, PROBE_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line) as ProbeFigures);
      else reject(new Error(`latency probe exited with ${code}`));
    });
  });
}

export function writeResults(name: string, figures: unknown): void {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ at: new Date().toISOString(), ...(figures as object) }, null, 2)}\n`);
}
