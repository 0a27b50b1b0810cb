import { Server, Socket, createConnection, createServer } from 'node:net';
import { freePort } from '@gatehouse/testing';

/**
 * A port in front of the shared domain controller that a test can take down or make hang without
 * touching the DC itself (other test files use it at the same time): `relay` passes bytes through,
 * `hang` accepts and never answers, `down` closes the port.
 */
export class TcpRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  mode: 'relay' | 'hang' = 'relay';

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpRelay> {
    const relay = new TcpRelay(await freePort(), target);
    await relay.up();
    return relay;
  }

  async up(): Promise<void> {
    if (this.server) return;
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client)).on('error', () => client.destroy());
    if (this.mode === 'hang') return;
    const upstream = createConnection(this.target);
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
