import { Metrics } from '@gatehouse/platform';
import { TestSystem, api, startTestSystem } from '../support/system';

describe('metrics', () => {
  let system: TestSystem;
  beforeAll(async () => (system = await startTestSystem()));
  afterAll(() => system?.stop());

  it('counts gateway HTTP requests by route pattern and status in Prometheus format', async () => {
    await api(system, 'GET', '/health/ready');
    await api(system, 'GET', '/api/v1/no-such-route');

    const response = await fetch(`${system.metricsUrl}/metrics`);
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
    expect(directory).toMatch(
      /gatehouse_nats_request_duration_seconds_count\{service="directory",subject="directory\.health\.ping",outcome="ok"\} [1-9]/,
    );
  });

  it('counts logins by outcome in auth and reports the mail queue depth in the mailer', async () => {
    const login = { username: 'nobody', password: 'wrong password here', device: { name: 'metrics test', platform: 'node' } };
    expect((await api(system, 'POST', '/api/v1/auth/login', { body: login })).status).toBe(401);
    const texts = await Promise.all(system.services.map((service) => service.get(Metrics, { strict: false }).text()));

    const auth = texts.find((text) => text.includes('service="auth"'));
    expect(auth).toMatch(/gatehouse_auth_events_total\{type="login",outcome="failure",service="auth"\} 1/);
    const mailer = texts.find((text) => text.includes('service="mailer"'));
    expect(mailer).toMatch(/gatehouse_mail_queue_jobs\{state="waiting",service="mailer"\} 0/);
  });
});
