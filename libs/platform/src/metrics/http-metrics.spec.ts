import { LATENCY_BUCKETS, Metrics } from './metrics';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerHttpMetrics } from './http-metrics';

/** Latencies differ between two runs: the sums and bucket counts are left out; series, labels, order and counts must match. */
const withoutLatencies = (text: string) => text.replace(/((?:_sum|_bucket)\{[^}]*\}) \S+/g, '$1 <latency>');

describe('registerHttpMetrics', () => {
  let sut: FastifyInstance;
  let metrics: Metrics;

  beforeEach(async () => {
    metrics = new Metrics('gateway');
    sut = Fastify();
    registerHttpMetrics(sut, metrics);
    sut.get('/things/:id', async () => ({ ok: true }));
    sut.get('/slow', async () => new Promise((resolve) => setTimeout(() => resolve({ ok: true }), 30)));
    await sut.ready();
  });
  afterEach(() => sut.close());

  it("exposes the same series, labels and buckets as prom-client's own counter and histogram", async () => {
    for (const url of ['/things/1', '/things/2', '/nothing']) await sut.inject({ method: 'GET', url });

    // The same three requests recorded through prom-client.
    const reference = new Metrics('gateway');
    const labels = ['method', 'route', 'status'] as const;
    const count = reference.counter('gatehouse_http_requests_total', 'HTTP requests, by method, route and status', labels);
    const latency = reference.histogram(
      'gatehouse_http_request_duration_seconds',
      'HTTP request latency, by method, route and status',
      labels,
    );
    for (const route of ['/things/:id', '/things/:id', 'unmatched']) {
      const series = { method: 'GET', route, status: route === 'unmatched' ? '404' : '200' };
      count.inc(series);
      latency.observe(series, LATENCY_BUCKETS[0] / 2);
    }

    expect(withoutLatencies(await metrics.text())).toBe(withoutLatencies(await reference.text()));
  });

  it('counts a request in the first bucket its latency fits and in every one above, cumulated', async () => {
    await sut.inject({ method: 'GET', url: '/slow' });

    const text = await metrics.text();
    const counts = [...LATENCY_BUCKETS.map(String), '+Inf'].map((le) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`gatehouse_http_request_duration_seconds_bucket{le="${le}",`) && line.includes('route="/slow"'))
          ?.split(' ')[1],
      ),
    );
    expect(counts.slice(0, 3)).toEqual([0, 0, 0]); // 5, 10 and 25 ms: the answer took 30 ms or more
    expect(counts.at(-1)).toBe(1);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });
});
