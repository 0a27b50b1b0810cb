import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, LOGGER, Logger, Metrics } from '@gatehouse/platform';
import { Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayConfig } from '../config';

/**
 * `/metrics` on its own listener (METRICS_HOST:METRICS_PORT, loopback by default), never on the
 * public port: series names, routes and counts tell an outsider what runs and how busy it is.
 * Prometheus scrapes the pod's metrics port, as it does the services' HEALTH_PORT.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** `http://host:port` of the listener (the port the system chose when METRICS_PORT is 0). */
  get url(): string {
    const { port } = this.server?.address() as AddressInfo;
    const host = this.config.METRICS_HOST.includes(':') ? `[${this.config.METRICS_HOST}]` : this.config.METRICS_HOST;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      this.metrics.text().then(
        (text) => response.writeHead(200, { 'content-type': this.metrics.contentType }).end(text),
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed'),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.METRICS_PORT, this.config.METRICS_HOST, () => resolve());
    });
    this.server = server;
    this.logger.info({ event: 'metrics.listening', url: this.url }, `metrics on ${this.url}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
