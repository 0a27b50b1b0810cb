import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { portOpen } from './servers';

const candidates = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

export function natsServerBinary(): string | undefined {
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs the server under a shell that kills it once its stdin, a pipe from this process, closes: the
 * kernel closes that pipe however this process ends (a test file whose set-up threw, a Jest worker
 * killed), so no nats-server outlives its test file.
 */
const WATCHDOG = '"$0" "$@" & server=$!; read -r _; kill -9 "$server" 2>/dev/null; wait "$server"';

/**
 * A NATS server of this test file's own: services of two files never answer each other's
 * subjects. It can be stopped and started again on the same port (outage tests).
 */
export class PrivateNats {
  private child?: ChildProcess;

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivateNats> {
    const binary = natsServerBinary();
    if (!binary) throw new Error('nats-server is not installed (apt-get install -y nats-server)');
    const nats = new PrivateNats(binary, await freePort());
    await nats.resume();
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    const child = spawn('sh', ['-c', WATCHDOG, this.binary, '-a', '127.0.0.1', '-p', String(this.port)], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // Neither the shell nor its pipe keeps a Jest worker alive: when the worker exits, the server goes too.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.child = child;
    for (let i = 0; i < 100; i++) {
      if (await portOpen('127.0.0.1', this.port, 200)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`nats-server did not start on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The shell kills the server and exits after it: once it has, the port is free for resume().
    child.ref();
    child.stdin?.end();
    await exited;
    this.child = undefined;
  }
}
