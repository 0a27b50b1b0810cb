import { randomUUID } from 'node:crypto';
import {
  ServiceNames,
  healthSubject,
  MailerSubjects,
  AuthSettingsSubjects,
  DirectorySubjects,
  SessionsSubjects,
} from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { SmtpSink, waitFor } from '@gatehouse/testing';
import { AppProcess, ProcessCluster, startProcesses } from '../support/processes';
import { api } from '../support/system';
import { authedSocket, openSocket } from '../sessions/ws-client';
import { bearer, createUser, login } from './support/cluster-client';
import { counter, expireSessionsOf, subscribeRevocations } from './support/cluster-probes';

/** How many NATS messages on `subject` this process handled with `outcome`, from its /metrics. */
const handled = (process: AppProcess, subject: string, outcome = 'ok') =>
  counter(process, 'gatehouse_nats_requests_total', { subject, outcome });

const SWEEP_INTERVAL_MS = 300;

// One cluster for the file; the tests run in order, and each that kills a process comes after
// every test that needs it.
describe('replicas as separate processes', () => {
  let cluster: ProcessCluster;
  let client: NatsClient;
  let sink: SmtpSink;

  beforeAll(async () => {
    cluster = await startProcesses({
      gateways: 2,
      replicas: 2,
      env: {
        SESSIONS_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
        AUTH_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS),
        // a killed mailer's jobs are taken over within seconds, not a minute
        MAILER_JOB_LOCK_MS: '2000',
        MAILER_RETRY_BACKOFF_MS: '100',
        // fewer in flight per replica than the 16 mails the sharing test holds back: with the default 32 one replica
        // could take them all before the other polled (a clean-clone run timed out so), and the test waits for both
        MAILER_CONCURRENCY: '4',
      },
    });
    client = new NatsClient(cluster.testEnv.env.NATS_URL!, 'replicas-test', 5000);
    sink = await SmtpSink.start();
    await client.send(MailerSubjects.configSet, {
      actor: { kind: 'system', service: 'test' },
      config: sink.mailerConfig({ verificationLink: `${cluster.gateways[0].url}/api/v1` }),
    });
  }, 180_000);
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
    await sink?.stop();
  }, 60_000);

  it('starts two gateways and two replicas of every service, each ready on its own port', async () => {
    expect(cluster.all).toHaveLength(2 + 2 * ServiceNames.length);
    const statuses = await Promise.all(
      cluster.all.map(async (p) => [`${p.app}#${p.replica}`, (await fetch(`${p.url}/health/ready`)).status]),
    );
    expect(statuses.filter(([, status]) => status !== 200)).toEqual([]);
    expect(new Set(cluster.all.map((p) => p.url)).size).toBe(cluster.all.length);
    expect(cluster.all.filter((p) => p.exited).map(String)).toEqual([]);
    const named = await Promise.all(
      cluster.all.map(async (p) => ((await (await fetch(`${p.url}/health/live`)).json()) as { service: string }).service),
    );
    expect(named).toEqual(cluster.all.map((p) => p.app));
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
    // B has checked the token, twice (with TOKEN_CACHE_ENTRIES on, the second answer comes from its token cache).
    for (let i = 0; i < 2; i++)
      expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(phone.accessToken) })).status).toBe(200);

    const revoke = await api(a, 'DELETE', `/api/v1/me/sessions/${phone.session.id}`, { headers: bearer(laptop.accessToken) });

    expect(revoke.status).toBe(200);
    // At once, also when B keeps the tokens it checked (TOKEN_CACHE_ENTRIES: Redis tells it of the DEL before A hears back).
    expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(phone.accessToken) })).status).toBe(401);
    expect(await socket.next('session.revoked')).toMatchObject({ sessionId: phone.session.id });
    expect((await socket.closed).code).toBe(4001);
    expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(laptop.accessToken) })).status).toBe(200);
  });

  it('delivers an approval requested through gateway A to a session connected to gateway B', async () => {
    const [a, b] = cluster.gateways;
    await createUser(client, 'sami');
    const first = (await login(b.url, 'sami')).body; // before two-factor: the device the next login asks
    await client.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: true });
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
      const accepted = await api(b, 'POST', `/api/v1/me/approvals/${waiting.body.pendingId}`, {
        body: { decision: 'accept' },
        headers: bearer(first.accessToken),
      });
      expect(accepted.body).toEqual({ status: 'approved' });
      expect(await pendingSocket.next('approval.decided')).toMatchObject({ pendingId: waiting.body.pendingId, status: 'approved' });
      const collected = await api(a, 'GET', `/api/v1/auth/login/pending/${waiting.body.pendingId}`, {
        headers: { authorization: `Pending ${waiting.body.pollToken}` },
      });
      expect(collected.body).toMatchObject({ status: 'approved', accessToken: expect.any(String) });
      expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(collected.body.accessToken) })).status).toBe(200);
      signedIn.ws.close();
      pendingSocket.ws.close();
    } finally {
      await client.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: false });
    }
  });

  it('ends each expired session once: one revocation each, one sweep that ended them all', async () => {
    const user = await createUser(client, 'tom');
    const logins = await Promise.all([0, 1, 2].map((i) => login(cluster.gateways[i % 2].url, 'tom')));
    const ids = logins.map((l) => l.body.session.id as string);
    const revoked = await subscribeRevocations(cluster.testEnv.env.NATS_URL!);
    try {
      await expireSessionsOf(cluster.testEnv.databaseUrl, user.id);
      await waitFor(() => ids.every((id) => revoked.messages.some((m) => m.sessionId === id)), { timeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 3 * SWEEP_INTERVAL_MS)); // room for a wrong second ending
      expect(
        revoked.messages
          .filter((m) => ids.includes(m.sessionId as string))
          .map((m) => [m.sessionId, m.reason])
          .sort(),
      ).toEqual(ids.map((id) => [id, 'expired']).sort());
      const swept = cluster.replicas.sessions.flatMap((r) => r.lines.filter((l) => l.event === 'sessions.swept').map((l) => l.count));
      expect(swept).toEqual([3]);
      for (const l of logins)
        expect((await api(cluster.gateways[1], 'GET', '/api/v1/auth/check', { headers: bearer(l.body.accessToken) })).status).toBe(401);
    } finally {
      await revoked.close();
    }
  });

  it('runs the session sweep once per interval, not once per sessions replica', async () => {
    // Every replica ticks every interval; only the first tick of an interval may run the job.
    const jobs: [AppProcess[], string][] = [
      [cluster.replicas.sessions, 'sessions.expiry-sweep'],
      [cluster.replicas.auth, 'auth.external-user-sweep'],
      [cluster.replicas.auth, 'auth.pending-login-cleanup'],
    ];
    const ticks = async (replicas: AppProcess[], job: string) => {
      const of = (outcome: string) => Promise.all(replicas.map((r) => counter(r, 'gatehouse_scheduled_runs_total', { job, outcome })));
      const [ran, unlocked, skipped] = await Promise.all([of('ran'), of('ran_unlocked'), of('skipped')]);
      return { ran: ran.map((n, i) => n + unlocked[i]), skipped };
    };
    const startedAt = Date.now();
    const before = await Promise.all(jobs.map(([replicas, job]) => ticks(replicas, job)));
    const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
    // about ten intervals: the two replicas of each service ticked some twenty times together
    let after = before;
    await waitFor(
      async () => {
        after = await Promise.all(jobs.map(([replicas, job]) => ticks(replicas, job)));
        return after.every((a, j) => sum(a.ran) + sum(a.skipped) - sum(before[j].ran) - sum(before[j].skipped) >= 20);
      },
      { timeoutMs: 30_000, intervalMs: SWEEP_INTERVAL_MS },
    );
    const intervals = (Date.now() - startedAt) / SWEEP_INTERVAL_MS;

    jobs.forEach(([, job], j) => {
      const ran = sum(after[j].ran) - sum(before[j].ran);
      const skipped = sum(after[j].skipped) - sum(before[j].skipped);
      // at most one run in each interval the window touched (+1: the window's two partial ends)
      expect({ job, ran, atMostOncePerInterval: ran <= Math.ceil(intervals) + 1 }).toEqual({ job, ran, atMostOncePerInterval: true });
      // the other replica's ticks were turned away, about as many as ran
      expect({ job, skipped: skipped >= ran / 2 }).toEqual({ job, skipped: true });
    });
  }, 60_000);

  it('loses no retried read when one replica of sessions and of directory dies mid-load', async () => {
    const read = (i: number) =>
      i % 2
        ? client.send(DirectorySubjects.userGet, { userId: randomUUID() }, { timeoutMs: 1000, retries: 3 })
        : client.send(SessionsSubjects.list, { userId: randomUUID() }, { timeoutMs: 1000, retries: 3 });
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

  it('keeps sweeping with the other sessions replica once one is gone (no leader to wait for)', async () => {
    const survivor = cluster.replicas.sessions[1];
    expect(cluster.replicas.sessions[0].exited).toBe(true);
    const user = await createUser(client, 'uma');
    const { session } = (await login(cluster.gateways[0].url, 'uma')).body;
    const revoked = await subscribeRevocations(cluster.testEnv.env.NATS_URL!);
    try {
      const ran = () => counter(survivor, 'gatehouse_scheduled_runs_total', { job: 'sessions.expiry-sweep', outcome: 'ran' });
      const before = await ran();
      await expireSessionsOf(cluster.testEnv.databaseUrl, user.id);
      await waitFor(() => revoked.messages.some((m) => m.sessionId === session.id));
      expect(await ran()).toBeGreaterThan(before);
    } finally {
      await revoked.close();
    }
  });

  it('shares the mail queue between both mailer replicas, each mail sent once', async () => {
    const [first, second] = cluster.replicas.mailer;
    const sent = (r: AppProcess) => counter(r, 'gatehouse_mail_attempts_total', { kind: 'test', outcome: 'sent' });
    const before = await Promise.all([sent(first), sent(second)]);
    sink.hold(); // mails pile up in flight, so both workers must take some
    const to = Array.from({ length: 16 }, (_, i) => `shared-${i}@example.test`);
    await Promise.all(to.map((address) => enqueue(address)));
    await waitFor(
      async () => (await counter(first, 'gatehouse_mail_sending', {})) > 0 && (await counter(second, 'gatehouse_mail_sending', {})) > 0,
    );
    sink.release();

    await waitFor(() => to.every((address) => sink.messagesTo(address).length > 0), { timeoutMs: 20_000 });
    await waitFor(
      async () => (await counter(first, 'gatehouse_mail_sending', {})) + (await counter(second, 'gatehouse_mail_sending', {})) === 0,
    );
    expect(to.filter((address) => sink.messagesTo(address).length !== 1)).toEqual([]);
    const after = await Promise.all([sent(first), sent(second)]);
    const byReplica = after.map((n, i) => n - before[i]);
    expect(byReplica[0] + byReplica[1]).toBe(to.length);
    expect(byReplica.every((n) => n > 0)).toBe(true);
  });

  it('still sends every mail, once, when a mailer replica dies in the middle of sending', async () => {
    const [doomed, survivor] = cluster.replicas.mailer;
    sink.hold();
    const to = Array.from({ length: 12 }, (_, i) => `crash-${i}@example.test`);
    await Promise.all(to.map((address) => enqueue(address)));
    await waitFor(async () => (await counter(doomed, 'gatehouse_mail_sending', {})) > 0);

    await doomed.kill(); // SIGKILL while its mails wait at MAIL FROM: none of them was accepted
    sink.release();

    await waitFor(() => to.every((address) => sink.messagesTo(address).length > 0), { timeoutMs: 30_000 });
    await waitFor(async () => (await counter(survivor, 'gatehouse_mail_sending', {})) === 0);
    expect(to.filter((address) => sink.messagesTo(address).length !== 1)).toEqual([]);
    expect(doomed.exited).toBe(true);
  }, 60_000);

  it('lets a device carry on through gateway B when gateway A stops (a rolling update)', async () => {
    const [a, b] = cluster.gateways;
    await createUser(client, 'vera');
    const device = (await login(a.url, 'vera')).body;
    const socket = await authedSocket(a.url, device.accessToken);

    const started = Date.now();
    const stopping = a.kill('SIGTERM');
    const closed = await socket.closed;
    await stopping;

    // it let its sockets go and exited by itself, long before the harness's SIGKILL after 15 s
    expect(a.exited).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(closed.code).toBe(1001); // going away, not a logout (4001): the device reconnects
    const again = await authedSocket(b.url, device.accessToken);
    expect((await api(b, 'GET', '/api/v1/auth/check', { headers: bearer(device.accessToken) })).status).toBe(200);
    again.ws.close();
  });

  /** A mail as auth asks for one: through NATS, to whichever mailer replica answers. */
  const enqueue = (to: string) =>
    client.send(MailerSubjects.mailSend, { kind: 'test', to, language: 'en', data: {}, idempotencyKey: `replicas-test:${to}` });
});
