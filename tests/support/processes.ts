import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Env } from '@gatehouse/config';
import { ServiceName, ServiceNames } from '@gatehouse/contracts';
import { TestEnv, createTestEnv, freePort } from '@gatehouse/testing';

const root = join(__dirname, '..', '..');
export type AppName = 'gateway' | ServiceName;

/** One app running as its own Node process, as in production. */
export interface AppProcess {
  app: AppName;
  replica: number;
  /** The gateway's PORT, or a service's HEALTH_PORT. */
  url: string;
  /** Its JSON log lines so far. */
  lines: Record<string, unknown>[];
  /** Its Prometheus metrics text. */
  metrics(): Promise<string>;
  /** Ends it; SIGKILL by default, as a crash would. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: boolean;
}

export interface ProcessCluster {
  testEnv: TestEnv;
  gateways: AppProcess[];
  replicas: Record<ServiceName, AppProcess[]>;
  all: AppProcess[];
  /** Stops every process (SIGTERM, then SIGKILL) and removes the test env. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  gateways?: number;
  replicas?: number;
  env?: Env;
  /** How long every process may take to answer /health/ready. */
  readyTimeoutMs?: number;
}

/**
 * N gateways and N replicas of every service, each a separate `node -r @swc-node/register
 * apps/<app>/src/main.ts` process, against one test env (database, Redis prefix, NATS).
 */
export async function startProcesses(options: ClusterOptions = {}): Promise<ProcessCluster> {
  const { gateways = 2, replicas = 2, readyTimeoutMs = 90_000 } = options;
  const testEnv = await createTestEnv({ LOG_LEVEL: 'info', ...options.env });
  const started: AppProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.kill('SIGTERM')));
    await testEnv.cleanup();
  };
  try {
    const plan: [AppName, number][] = [];
    for (const service of ServiceNames) for (let i = 0; i < replicas; i++) plan.push([service, i]);
    for (let i = 0; i < gateways; i++) plan.push(['gateway', i]);
    const ports = new Set<number>();
    const ready = await Promise.all(plan.map(([app, replica]) => startApp(app, replica, testEnv.env, ports, readyTimeoutMs, started)));
    started.splice(0, started.length, ...ready);
  } catch (error) {
    await stop();
    throw error;
  }
  const replicasOf = Object.fromEntries(ServiceNames.map((s) => [s, started.filter((p) => p.app === s)])) as Record<
    ServiceName,
    AppProcess[]
  >;
  return { testEnv, gateways: started.filter((p) => p.app === 'gateway'), replicas: replicasOf, all: started, stop };
}

/**
 * Spawns one app on a port no other process of this cluster got, and waits until that very process
 * answers (its /health/live names it): a port another program took meanwhile makes the app exit, and it
 * is started again on another port rather than another process answering in its name.
 */
async function startApp(
  app: AppName,
  replica: number,
  env: Env,
  ports: Set<number>,
  timeoutMs: number,
  started: AppProcess[],
): Promise<AppProcess> {
  const take = async () => {
    let port = await freePort();
    while (ports.has(port)) port = await freePort();
    ports.add(port);
    return port;
  };
  for (let attempt = 1; ; attempt++) {
    const port = await take();
    // The gateway serves /metrics on its own listener, off the public port.
    const metricsPort = app === 'gateway' ? await take() : port;
    const process = spawnApp(app, replica, env, port, metricsPort);
    started.push(process);
    try {
      await waitReady(process, timeoutMs);
      return process;
    } catch (error) {
      if (!process.exited || attempt === 3) throw error;
    }
  }
}

function spawnApp(app: AppName, replica: number, env: Env, port: number, metricsPort: number): AppProcess {
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', join('apps', app, 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      ...(app === 'gateway'
        ? { PORT: String(port), METRICS_PORT: String(metricsPort) }
        : { HEALTH_PORT: String(port), HEALTH_HOST: '127.0.0.1' }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString('utf8')).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ raw: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    replica,
    url,
    lines,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    async metrics() {
      return (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
    toString: () => `${app}#${replica} (${url})\n${stderr}`,
  } as AppProcess;
}

async function waitReady(app: AppProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (app.exited) throw new Error(`${String(app)} exited before it was ready`);
    try {
      const response = await fetch(`${app.url}/health/ready`);
      last = await response.text();
      if (response.ok && ((await (await fetch(`${app.url}/health/live`)).json()) as { service?: string }).service === app.app) return;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${String(app)} not ready after ${timeoutMs} ms: ${last}`);
}
