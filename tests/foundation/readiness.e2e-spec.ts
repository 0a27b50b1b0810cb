import { waitFor } from '@gatehouse/testing';
import { api, startTestSystem, TestSystem } from '../support/system';

describe('readiness', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system.stop());

  it('is live and ready with PostgreSQL, Redis, NATS and all five services named', async () => {
    expect((await api(system, 'GET', '/health/live')).status).toBe(200);
    const ready = await api(system, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({
      nats: 'up',
      redis: 'up',
      postgres: 'up',
      services: { auth: 'up', sessions: 'up', directory: 'up', federation: 'up', mailer: 'up' },
    });
  });

  it('turns 503 while NATS is stopped and 200 again after it restarts, with no process restarted', async () => {
    const nats = system.testEnv.nats;
    if (!nats) return void expect(system.testEnv.env.NATS_URL).toBeDefined(); // containers: outage not simulated

    await nats.stop();
    const down = await api(system, 'GET', '/health/ready');
    expect(down.status).toBe(503);
    expect(down.body.failing).toEqual(expect.arrayContaining(['nats', 'auth', 'sessions', 'directory', 'federation', 'mailer']));

    await nats.resume();
    await waitFor(async () => (await api(system, 'GET', '/health/ready')).status === 200, { timeoutMs: 15_000, intervalMs: 250 });
  });
});
