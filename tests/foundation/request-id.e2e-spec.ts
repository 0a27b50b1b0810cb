import { waitFor } from '@gatehouse/testing';
import { api, startTestSystem, TestSystem } from '../support/system';

describe('request id', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ LOG_LEVEL: 'debug' });
  });
  afterAll(() => system.stop());

  it('echoes the request id and carries it into the log lines of the services that served it', async () => {
    // A loaded CI machine may answer the first readiness checks late: ask until one is ready, each with its own id.
    let requestId = '';
    let response: Awaited<ReturnType<typeof api>> | undefined;
    await waitFor(
      async () => {
        requestId = `test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
        response = await api(system, 'GET', '/health/ready', { headers: { 'x-request-id': requestId } });
        return response.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    if (!response) throw new Error('no readiness answer');

    expect(response.body).toMatchObject({ status: 'ok', failing: [] });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    // readiness asks every service over NATS; each logs the ping it handled under this id
    for (const service of ['auth', 'sessions', 'directory', 'federation', 'mailer']) {
      expect(system.logs.where({ requestId, service, subject: `${service}.health.ping` })).toHaveLength(1);
    }
  });

  it('makes up a request id when the client gives none or a malformed one', async () => {
    const response = await api(system, 'GET', '/health/live', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
