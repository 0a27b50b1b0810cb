import { createServer, Server } from 'node:http';
import type { HealthChecks } from './health.controller';
import type { Metrics } from '../metrics/metrics';

export interface HealthHttpOptions {
  port: number;
  host?: string;
  /** The same checks the service's `<service>.health.ping` answers with. */
  checks: HealthChecks;
  /** The NATS connection the service takes work from. */
  nats?: () => Promise<boolean>;
  metrics: Metrics;
}

/**
 * A tiny HTTP listener for services that otherwise speak only NATS: /health/live, /health/ready
 * and /metrics, for Kubernetes probes and Prometheus. Nothing else is served.
 */
export async function startHealthHttp({ port, host = '0.0.0.0', checks, nats, metrics }: HealthHttpOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const send = (status: number, body: unknown, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (request.method !== 'GET') return send(405, { status: 'method not allowed' });
    const path = (request.url ?? '/').split('?')[0];
    // Names the service, so a probe (or a test harness) knows who answered on this port.
    if (path === '/health/live') return send(200, { status: 'ok', service: metrics.service });
    if (path === '/health/ready') {
      void ready(checks, nats).then(
        (result) => send(result.status === 'ok' ? 200 : 503, result),
        () => send(503, { status: 'unavailable' }),
      );
      return;
    }
    if (path === '/metrics') {
      void metrics.text().then(
        (text) => send(200, text, metrics.contentType),
        () => send(500, 'metrics failed', 'text/plain'),
      );
      return;
    }
    send(404, { status: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

async function ready(checks: HealthChecks, nats?: () => Promise<boolean>) {
  const all: HealthChecks = nats ? { nats, ...checks } : checks;
  const names = Object.keys(all);
  const results = await Promise.all(names.map((name) => all[name]().catch(() => false)));
  const failing = names.filter((_, i) => !results[i]);
  return {
    status: failing.length ? 'unavailable' : 'ok',
    checks: Object.fromEntries(names.map((n, i) => [n, results[i] ? 'up' : 'down'])),
    failing,
  };
}

export function stopHealthHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
