import { Metrics } from '@gatehouse/platform';
import { TestSystem, api, startTestSystem } from '../support/system';

describe('metrics', () => {
  let system: TestSystem;
  beforeAll(async () => (system = await startTestSystem()));
  afterAll(() => system?.stop());

  it('counts gateway HTTP requests by route pattern and status in Prometheus format', async () => {
    await api(system, 'GET', '/health/ready');
    await api(system, 'GET', '/api/v1/no-such-route');

    const response = await fetch(`${system.url}/metrics`);
    const text = await response.text();

    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/gatehouse_http_requests_total\{method="GET",route="\/health\/ready",status="200",service="gateway"\} 1/);
    expect(text).toMatch(/gatehouse_http_requests_total\{method="GET",route="unmatched",status="404",service="gateway"\} 1/);
    expect(text).toContain('gatehouse_http_request_duration_seconds_bucket');
  });

  it('counts NATS messages each service handled by subject and outcome, per service', async () => {
    await api(system, 'GET', '/health/ready');
    const texts = await Promise.all(system.services.map((service) => service.get(Metrics, { strict: false }).text()));

    const directory = texts.find((text) => text.includes('service="directory"'));
    expect(directory).toMatch(/gatehouse_nats_requests_total\{subject="directory\.health\.ping",outcome="ok",service="directory"\} [1-9]/);
    expect(directory).not.toContain('subject="sessions.health.ping"');
    expect(directory).toMatch(/gatehouse_nats_request_duration_seconds_count\{service="directory",subject="directory\.health\.ping",outcome="ok"\} [1-9]/);
  });
});
