import { randomUUID } from 'node:crypto';
import { ServiceNames, healthSubject } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { ProcessCluster, startProcesses } from '../support/processes';
import { api } from '../support/system';
import { authedSocket, openSocket } from '../sessions/ws-client';
import { bearer, createUser, login } from './support/cluster-client';

/** How many NATS messages on `subject` this process handled with `outcome`, from its /metrics. */
async function handled(process: { metrics(): Promise<string> }, subject: string, outcome = 'ok'): Promise<number> {
  const text = await process.metrics();
  const line = text.split('\n').find((l) => l.startsWith('gatehouse_nats_requests_total{') && l.includes(`subject="${subject}"`) && l.includes(`outcome="${outcome}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('replicas as separate processes', () => {
  let cluster: ProcessCluster;
  let client: NatsClient;

  beforeAll(async () => {
    cluster = await startProcesses({ gateways: 2, replicas: 2 });
    client = new NatsClient(cluster.testEnv.env.NATS_URL!, 'replicas-test', 5000);
  }, 180_000);
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
  }, 60_000);

  it('starts two gateways and two replicas of every service, each ready on its own port', async () => {
    expect(cluster.all).toHaveLength(2 + 2 * ServiceNames.length);
    const statuses = await Promise.all(cluster.all.map(async (p) => [`${p.app}#${p.replica}`, (await fetch(`${p.url}/health/ready`)).status]));
    expect(statuses.filter(([, status]) => status !== 200)).toEqual([]);
  });

  it('spreads the requests of both gateways over both replicas of every service', async () => {
    // NATS picks a queue-group member at random: keep pinging (in rounds of 24) until every
    // replica of every service has served some, and check that no request was lost on the way.
    const count = () => Promise.all(ServiceNames.map((s) => Promise.all(cluster.replicas[s].map((r) => handled(r, healthSubject(s))))));
    const before = await count();
    let sent = 0;
    let served: number[][] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 24; i++, sent++) expect((await fetch(`${cluster.gateways[i % 2].url}/health/ready`)).status).toBe(200);
      const after = await count();
      served = after.map((replicas, s) => replicas.map((n, r) => n - before[s][r]));
      if (served.every((replicas) => replicas.every((n) => n > 0))) break;
    }

    ServiceNames.forEach((service, s) => {
      expect({ service, total: served[s][0] + served[s][1] }).toEqual({ service, total: sent });
      expect({ service, eachServedSome: served[s].every((n) => n > 0) }).toEqual({ service, eachServedSome: true });
    });
  });

  it('closes the WebSocket held by gateway B when the session is revoked through gateway A', async () => {
    const [a, b] = cluster.gateways;
    await createUser(client, 'rita');
    const phone = (await login(b.url, 'rita')).body;
    const laptop = (await login(a.url, 'rita')).body;
    const socket = await authedSocket(b.url, phone.accessToken);
    expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(phone.accessToken) })).status).toBe(200); // B knows the token now

    const revoke = await api(a, 'DELETE', `/api/v1/me/sessions/${phone.session.id}`, { headers: bearer(laptop.accessToken) });

    expect(revoke.status).toBe(200);
    expect(await socket.next('session.revoked')).toMatchObject({ sessionId: phone.session.id });
    expect((await socket.closed).code).toBe(4001);
    expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(phone.accessToken) })).status).toBe(401);
    expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(laptop.accessToken) })).status).toBe(200);
  });

  it('delivers an approval requested through gateway A to a session connected to gateway B', async () => {
    const [a, b] = cluster.gateways;
    await createUser(client, 'sami');
    const first = (await login(b.url, 'sami')).body; // before two-factor: the device the next login asks
    await client.send('auth.settings.set', { twoFactor: true });
    try {
      const signedIn = await authedSocket(b.url, first.accessToken);
      const waiting = await login(a.url, 'sami', { name: 'New phone', platform: 'ios' });
      expect(waiting.status).toBe(202);
      const pendingSocket = await openSocket(a.url);
      pendingSocket.ws.send(JSON.stringify({ type: 'pending', pendingId: waiting.body.pendingId, pollToken: waiting.body.pollToken }));
      await pendingSocket.next('ready');

      expect(await signedIn.next('approval.requested')).toMatchObject({
        pendingId: waiting.body.pendingId,
        securityCode: waiting.body.securityCode,
        device: { name: 'New phone', platform: 'ios' },
      });
      // and back: accepted on B, the waiting device on A hears it and collects its session through A
      const accepted = await api(b, 'POST', `/api/v1/me/approvals/${waiting.body.pendingId}`, { body: { decision: 'accept' }, headers: bearer(first.accessToken) });
      expect(accepted.body).toEqual({ status: 'approved' });
      expect(await pendingSocket.next('approval.decided')).toMatchObject({ pendingId: waiting.body.pendingId, status: 'approved' });
      const collected = await api(a, 'GET', `/api/v1/auth/login/pending/${waiting.body.pendingId}`, { headers: { authorization: `Pending ${waiting.body.pollToken}` } });
      expect(collected.body).toMatchObject({ status: 'approved', accessToken: expect.any(String) });
      expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(collected.body.accessToken) })).status).toBe(200);
      signedIn.ws.close();
      pendingSocket.ws.close();
    } finally {
      await client.send('auth.settings.set', { twoFactor: false });
    }
  });

  it.todo('runs the session sweep once per interval, not once per sessions replica');
  it('loses no retried read when one replica of sessions and of directory dies mid-load', async () => {
    const read = (i: number) =>
      i % 2
        ? client.send('directory.user.get', { userId: randomUUID() }, { timeoutMs: 1000, retries: 3 })
        : client.send('sessions.session.list', { userId: randomUUID() }, { timeoutMs: 1000, retries: 3 });
    const results: PromiseSettledResult<unknown>[] = [];
    const killed: Promise<void>[] = [];
    for (let batch = 0; batch < 20; batch++) {
      if (batch === 5) killed.push(cluster.replicas.sessions[0].kill(), cluster.replicas.directory[0].kill());
      results.push(...(await Promise.allSettled(Array.from({ length: 10 }, (_, i) => read(batch * 10 + i)))));
    }
    await Promise.all(killed);

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(results).toHaveLength(200);
    expect(cluster.replicas.sessions[0].exited && cluster.replicas.directory[0].exited).toBe(true);
    expect(await handled(cluster.replicas.directory[1], 'directory.user.get')).toBeGreaterThan(50);
    expect(await handled(cluster.replicas.sessions[1], 'sessions.session.list')).toBeGreaterThan(50);
  }, 60_000);

  it.todo('shares the mail queue between both mailer replicas, each mail sent once');
});
