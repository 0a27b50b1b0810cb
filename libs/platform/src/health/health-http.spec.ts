import type { Server } from 'node:http';
import { Metrics } from '../metrics/metrics';
import { startHealthHttp, stopHealthHttp } from './health-http';

describe('the health HTTP listener of a NATS-only service', () => {
  let sut: Server;
  let url: string;
  let redisUp = true;
  const metrics = new Metrics('sessions');

  beforeAll(async () => {
    sut = await startHealthHttp({ port: 0, host: '127.0.0.1', checks: { redis: async () => redisUp }, nats: async () => true, metrics });
    const address = sut.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => stopHealthHttp(sut));

  it('is live whatever its dependencies say', async () => {
    redisUp = false;
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok', service: 'sessions' });
  });

  it('is ready only while every check passes, naming the one that fails', async () => {
    redisUp = true;
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    redisUp = false;
    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', checks: { nats: 'up', redis: 'down' }, failing: ['redis'] });
  });

  it('serves its metrics in Prometheus format and nothing else', async () => {
    metrics.counter('gatehouse_test_total', 'test').inc();
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('gatehouse_test_total{service="sessions"} 1');
    expect((await fetch(`${url}/api/v1/anything`)).status).toBe(404);
  });
});
