import type { FastifyInstance } from 'fastify';
import { Metrics } from './metrics';

const STARTED = Symbol('metrics start');

/**
 * HTTP request counts and latency by method, route pattern (never the raw URL, which would make a
 * series per id) and status; and `GET /metrics` on the same server.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  const requests = metrics.counter('gatehouse_http_requests_total', 'HTTP requests, by method, route and status', ['method', 'route', 'status']);
  const latency = metrics.histogram('gatehouse_http_request_duration_seconds', 'HTTP request latency, by method, route and status', [
    'method',
    'route',
    'status',
  ]);
  fastify.addHook('onRequest', (request, _reply, done) => {
    (request as unknown as Record<symbol, number>)[STARTED] = performance.now();
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const started = (request as unknown as Record<symbol, number>)[STARTED] ?? performance.now();
    const labels = { method: request.method, route: request.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    latency.observe(labels, (performance.now() - started) / 1000);
    done();
  });
  fastify.get('/metrics', async (_request, reply) => {
    await reply.header('content-type', metrics.contentType).send(await metrics.text());
  });
}
