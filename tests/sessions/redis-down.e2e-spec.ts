import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer } from '../auth/support';

describe('without Redis', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => system.stop());

  it('fails token checks closed with 503', async () => {
    const response = await api(system, 'GET', '/api/v1/auth/check', { headers: bearer('a'.repeat(43)) });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('service_unavailable');
  });

  it('refuses logins with 503 since no attempt could be counted', async () => {
    const response = await api(system, 'POST', '/api/v1/auth/login', {
      body: { username: 'anyone', password: 'whatever it is', device: { name: 'x', platform: 'y' } },
    });
    expect(response.status).toBe(503);
  });
});
