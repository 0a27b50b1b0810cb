import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { ProbeFigures, ProbeOptions } from './latency-probe';

const root = join(__dirname, '..', '..');

let built = false;

/**
 * The path of a server script's compiled JavaScript (`tools/build/server.cjs --bench`, into dist/bench, once per
 * benchmark process): the servers, the one-process system and the latency probe run compiled, as `npm start` and
 * the image run Gatehouse, not through @swc-node/register (which keeps the TypeScript compiler and every source
 * with its map in memory, in each process and worker thread).
 */
export function compiled(script: string): string {
  if (!built) {
    const build = spawnSync(process.execPath, [join(root, 'tools', 'build', 'server.cjs'), '--bench'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`tools/build/server.cjs --bench failed: ${build.stderr}`);
    built = true;
  }
  return join(root, 'dist', 'bench', script.replace(/\.ts$/, '.js'));
}

export interface Server {
  url: string;
  env?: Record<string, string>;
  /** The bench user's name (gatehouse-server.ts: its own on the filled database). */
  user?: string;
  pid?: number;
  /** Every later line the process prints (bench/sweep.ts reads the sweep's result this way). */
  onLine?(listener: (line: string) => void): void;
  stop(): Promise<void>;
}

export interface Gatehouse extends Server {
  user: string;
  services: Server;
  gateway: Server;
}

export interface GatehouseOptions {
  /** On the database of bench/data.ts (BENCH_FILLED in gatehouse-server.ts). */
  filled?: boolean;
  /** More environment for both processes (e.g. BENCH_SWEEP_INTERVAL_MS, BENCH_SERVICE_ENV). */
  env?: Record<string, string>;
}

/** Gatehouse's services in one process and its gateway in another, as deployed. */
export async function startGatehouse(options: GatehouseOptions = {}): Promise<Gatehouse> {
  const common = { ...(options.filled ? { BENCH_FILLED: '1' } : {}), ...options.env };
  const services = await startServer('bench/support/gatehouse-server.ts', { ...common, BENCH_ROLE: 'services' });
  const gateway = await startGateway(services.env!, common).catch(async (error: unknown) => {
    await services.stop();
    throw error;
  });
  return {
    url: gateway.url,
    env: services.env,
    user: services.user!,
    services,
    gateway,
    stop: async () => {
      await gateway.stop();
      await services.stop();
    },
  };
}

/** One more gateway on the same services (bench/ws.ts: sockets across two gateways). */
export function startGateway(servicesEnv: Record<string, string>, env: Record<string, string> = {}): Promise<Server> {
  return startServer('bench/support/gatehouse-server.ts', { ...env, BENCH_ROLE: 'gateway', BENCH_ENV: JSON.stringify(servicesEnv) });
}

/** Starts a server script in its own process and waits for its `{ ready, url }` line. */
export function startServer(script: string, env: Record<string, string> = {}): Promise<Server> {
  // BENCH_NODE_ARGS (e.g. --cpu-prof) goes to the server processes, for profiling.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, script.endsWith('.ts') ? compiled(script) : script];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    let ready = false;
    const listeners: ((line: string) => void)[] = [];
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (ready) {
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const l of lines) listeners.forEach((listener) => listener(l));
        return;
      }
      const line = buffer.split('\n').find((l) => l.startsWith('{"ready"'));
      if (!line) return;
      ready = true;
      buffer = buffer.slice(buffer.indexOf(line) + line.length + 1);
      const { url, env: childEnv, user } = JSON.parse(line) as { url: string; env?: Record<string, string>; user?: string };
      child.removeAllListeners('exit');
      resolve({
        url,
        env: childEnv,
        user,
        pid: child.pid,
        onLine: (listener) => listeners.push(listener),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    });
  });
}

/** Seconds per measured load (10; BENCH_SECONDS=3 for a quick, noisier run). */
export const BENCH_SECONDS = Number(process.env.BENCH_SECONDS ?? '10');

export const ratio = (a: number, b: number): number => (b > 0 ? +(a / b).toFixed(2) : 0);

export interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export async function load(options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ duration: BENCH_SECONDS, connections: 50, ...options });
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
  const child = spawn(process.execPath, [compiled('bench/support/latency-probe.ts')], {
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

export interface GatewayMemory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The gateway's memory after a full garbage collection (SIGUSR2, bench/support/gatehouse-server.ts). */
export function gatewayMemory(gateway: Server): Promise<GatewayMemory> {
  return new Promise((resolve) => {
    let done = false;
    gateway.onLine!((line) => {
      if (done || !line.startsWith('{"memory"')) return;
      done = true;
      resolve((JSON.parse(line) as { memory: GatewayMemory }).memory);
    });
    process.kill(gateway.pid!, 'SIGUSR2');
  });
}

/** CPU seconds (user + system, all threads) a process has used so far (/proc, Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on: utime is the 14th
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks, 100 a second
}

/**
 * Waits until the processes together spend at most `msPerSecond` of CPU a second for `seconds` in a row
 * (at most `timeoutSeconds`): the start's work done (its garbage collected, its code compiled), so that a
 * measurement of a steady system does not get it. Answers how long it waited.
 */
export async function waitForQuiet(pids: number[], msPerSecond = 40, seconds = 2, timeoutSeconds = 60): Promise<number> {
  const started = performance.now();
  const used = () => pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  let quiet = 0;
  let before = used();
  while (quiet < seconds && performance.now() - started < timeoutSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = used();
    quiet = (now - before) * 1000 <= msPerSecond ? quiet + 1 : 0;
    before = now;
  }
  return +((performance.now() - started) / 1000).toFixed(1);
}

/**
 * V8's memory reducer: once a process allocates little after a full collection, it runs two more ~8 s later,
 * the first compacting the whole heap. On the gateway's ~110 MB heap (mostly the code it loaded) that was a
 * 120 ms pause, then 12 ms (--trace-gc in bench:sweep). Turning the reducer off in our processes kept the
 * windows clean but cost memory the soak does not allow (+225 MiB over its run against a 150 MiB bound), so
 * the benchmarks wait for it instead.
 */
const MEMORY_REDUCER_DELAY_MS = 8000;

/**
 * The system as it runs long after its start, before a benchmark measures latency: the gateway's first full
 * collection (~18 s after start: a 15 ms pause and 60 ms of marking steps on its event loop) made now, the
 * memory reducer's collections that follow it waited for, then the processes (the gateway, the services'
 * threads collecting their start's garbage, `others`) quiet. Left to run, these fell in bench:sweep's idle
 * windows (11–26 ms p99 against 3–4 ms). A running installation did all of it long ago; the collections the
 * measured load brings about still fall in its windows.
 */
export async function settle(gatehouse: Gatehouse, others: Server[] = []): Promise<{ gatewayHeapMiB: number; quietAfterSeconds: number }> {
  const started = performance.now();
  const memory = await gatewayMemory(gatehouse.gateway);
  await new Promise((resolve) => setTimeout(resolve, MEMORY_REDUCER_DELAY_MS + 2000));
  await waitForQuiet([gatehouse.services, gatehouse.gateway, ...others].map((server) => server.pid!));
  return { gatewayHeapMiB: Math.round(memory.heapUsed / 2 ** 20), quietAfterSeconds: +((performance.now() - started) / 1000).toFixed(1) };
}

/** Resident memory of a process in bytes (/proc, Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

export function writeResults(name: string, figures: unknown): void {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  // The machine as it was: the sizing guide divides by its cores, and a load average above them says the figures are noisy.
  const machine = { cpus: cpus().length, loadAverage1m: +loadavg()[0].toFixed(1), node: process.version };
  writeFileSync(
    join(dir, `${name}.json`),
    `${JSON.stringify({ at: new Date().toISOString(), machine, ...(figures as object) }, null, 2)}\n`,
  );
}
