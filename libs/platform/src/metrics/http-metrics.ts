import type { FastifyInstance } from 'fastify';
import { Metrics } from './metrics';

/**
 * HTTP request counts and latency by method, route pattern (never the raw URL, which would make a
 * series per id) and status. `/metrics` itself is served elsewhere, off the public port (the gateway's MetricsListener).
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  const requests = metrics.counter('gatehouse_http_requests_total', 'HTTP requests, by method, route and status', [
    'method',
    'route',
    'status',
  ]);
  const latency = metrics.histogram('gatehouse_http_request_duration_seconds', 'HTTP request latency, by method, route and status', [
    'method',
    'route',
    'status',
  ]);
  // One pair of labelled series per method, route and status, looked up without prom-client hashing the labels each time.
  const series = new Map<string, { count: { inc(): void }; time: { observe(seconds: number): void } }>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let labelled = series.get(key);
    if (!labelled) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      labelled = { count: requests.labels(labels), time: latency.labels(labels) };
      series.set(key, labelled);
    }
    labelled.count.inc();
    // Fastify times every request itself (from its arrival): no onRequest hook needed, which the token check feels.
    labelled.time.observe(reply.elapsedTime / 1000);
    done();
  });
}
