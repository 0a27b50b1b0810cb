import http from 'node:http';
import { Metrics } from '@gatehouse/platform';
import { OpaquePool } from '../../apps/auth/src/opaque/opaque-pool';
import { waitFor } from '@gatehouse/testing';
import { startTestSystem, TestSystem } from '../support/system';
import { DEVICE, GOOD_PASSWORD, createUser, login } from './support';

/**
 * Logins whose clients leave before the answer (a closed app, a client's own timeout) are dropped before their
 * key stretching starts, and give their throttle attempt back: a queue of them no longer delays the logins
 * behind it by a second of CPU each (libs/platform AbandonedCalls, contracts' common/calls.ts).
 */
describe('abandoned logins', () => {
  let system: TestSystem;
  let pool: OpaquePool;
  let authMetrics: Metrics;

  beforeAll(async () => {
    system = await startTestSystem({
      // as deployed: a login's stretching takes long enough for others to wait behind it
      OPAQUE_STRETCH_MEMORY_KIB: '65536',
      OPAQUE_STRETCH_ITERATIONS: '3',
      OPAQUE_STRETCH_PARALLELISM: '4',
      THROTTLE_LOGIN_FREE_ATTEMPTS: '8',
    });
    const auth = system.services.find((app) => app.get(Metrics, { strict: false }).service === 'auth')!;
    pool = auth.get(OpaquePool, { strict: false });
    authMetrics = auth.get(Metrics, { strict: false });
  });
  afterAll(() => system?.stop());

  /** A login sent and left `afterMs` later, as a client that gives up closes its connection. */
  const leave = (username: string, password: string, afterMs: number) =>
    new Promise<void>((resolve) => {
      const request = http.request(`${system.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      request.on('error', () => resolve());
      request.on('response', () => resolve()); // answered before it left: not what this test wants, counted below
      request.end(JSON.stringify({ username, password, device: DEVICE }));
      setTimeout(() => {
        request.destroy();
        resolve();
      }, afterMs);
    });
  const dropped = async () =>
    Number(/gatehouse_hashing_dropped_total\{pool="opaque",reason="abandoned"[^}]*\} (\d+)/.exec(await authMetrics.text())?.[1] ?? 0);
  const succeeded = async () =>
    Number(/gatehouse_auth_events_total\{type="login",outcome="success"[^}]*\} (\d+)/.exec(await authMetrics.text())?.[1] ?? 0);
  const settled = () => waitFor(() => pool.backlog === 0, { timeoutMs: 30_000 });

  it('does not stretch for a client that left: only the logins already on a thread finish', async () => {
    await createUser(system, { username: 'leaver' });
    const [droppedBefore, checkedBefore] = [await dropped(), await succeeded()];

    // eight: as many as the name's free attempts (more would be refused before the pool, as throttled)
    await Promise.all(Array.from({ length: 8 }, () => leave('leaver', GOOD_PASSWORD, 150)));
    await settled();
    // a login that was stretched is audited a moment after its thread is free
    await waitFor(async () => (await dropped()) - droppedBefore + (await succeeded()) - checkedBefore >= 8).catch(() => undefined);

    const droppedNow = (await dropped()) - droppedBefore;
    const checked = (await succeeded()) - checkedBefore;
    // the pool has a thread per core: a login on a thread when its client leaves is finished
    expect(droppedNow).toBeGreaterThanOrEqual(4);
    expect(checked + droppedNow).toBe(8);
  });

  it('gives the throttle attempt of a dropped login back', async () => {
    await createUser(system, { username: 'retrier' });

    // ten wrong passwords that leave: eight are let through to the pool (the name's free attempts, reserved
    // up front), and without the refund the next login would be the ninth attempt: throttled
    await Promise.all(Array.from({ length: 10 }, () => leave('retrier', 'a wrong password, and gone', 150)));
    await settled();

    const response = await login(system, 'retrier');
    expect(response.status).toBe(200);
  });
});
