import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NatsClient } from '@gatehouse/platform';
import { DirectorySubjects, AuthSubjects } from '@gatehouse/contracts';
import { bearer, createUser, GOOD_PASSWORD, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

const TENANT = 'tenant.example';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver: records every request and answers what the test tells it per path. */
class Receiver {
  readonly received: Received[] = [];
  private readonly answers = new Map<string, number[]>();
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (path.startsWith('/hang')) return; // never answers
        const queue = this.answers.get(path) ?? [];
        res.writeHead(queue.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  answer(path: string, ...statuses: number[]): void {
    this.answers.set(path, statuses);
  }

  at(path: string): Received[] {
    return this.received.filter((item) => item.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const verify = (secret: string, item: Received): boolean => {
  const timestamp = String(item.headers['gatehouse-webhook-timestamp']);
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${item.body}`).digest('hex')}`;
  const got = String(item.headers['gatehouse-webhook-signature']);
  return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
};

describe('signed webhooks for audit events', () => {
  let system: TestSystem;
  let receiver: Receiver;
  let nats: NatsClient;
  let root: Record<string, string>;
  let dora: Record<string, string>;

  const create = (headers: Record<string, string>, body: Record<string, unknown>) =>
    api(system, 'POST', '/api/v1/admin/webhooks', { headers, body });

  beforeAll(async () => {
    receiver = await new Receiver().start();
    system = await startTestSystem({ WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_ATTEMPTS: '4', WEBHOOK_TIMEOUT_MS: '20000' });
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'root', admin: true });
    await createUser(system, { username: 'alice' });
    const { user } = await nats.send(DirectorySubjects.userCreate, { domain: TENANT, username: 'dora', admin: true });
    await nats.send(AuthSubjects.passwordSet, { userId: user.id, password: GOOD_PASSWORD });
    root = bearer((await login(system, 'root')).body.accessToken);
    dora = bearer((await login(system, `dora@${TENANT}`)).body.accessToken);
  });
  afterAll(async () => {
    await system?.stop();
    await receiver?.stop();
  });

  it('signs each delivery with HMAC-SHA256 over timestamp and body; the secret is shown once', async () => {
    const made = await create(root, { url: `${receiver.url}/signed`, eventTypes: ['login'] });
    expect(made.status).toBe(201);
    const { webhook, secret } = made.body;
    expect(secret).toMatch(/^whsec_/);
    expect(webhook).toMatchObject({ url: `${receiver.url}/signed`, eventTypes: ['login'], enabled: true, domain: null });
    const listed = await api(system, 'GET', '/api/v1/admin/webhooks', { headers: root });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    await login(system, 'alice');
    await until(() => receiver.at('/signed').length === 1);
    const [delivery] = receiver.at('/signed');
    expect(verify(secret, delivery!)).toBe(true);
    expect(verify(`${secret}x`, delivery!)).toBe(false);
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({ type: 'login', event: { type: 'login', outcome: 'success', login: 'alice', domain: 'example.com' } });
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['gatehouse-webhook-id']).toEqual(expect.any(String));

    // The audit row of the endpoint's creation holds the request's fields, never the answer's secret.
    const audit = await api(system, 'GET', '/api/v1/admin/audit?type=admin.change', { headers: root });
    expect(JSON.stringify(audit.body)).not.toContain(secret);

    const rotated = await api(system, 'POST', `/api/v1/admin/webhooks/${webhook.id}/rotate-secret`, { headers: root });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    await login(system, 'alice');
    await until(() => receiver.at('/signed').length === 2);
    expect(verify(rotated.body.secret, receiver.at('/signed')[1]!)).toBe(true);
    await api(system, 'DELETE', `/api/v1/admin/webhooks/${webhook.id}`, { headers: root });
  });

  it('retries after a 500 with backoff, logs each answer, and sends no duplicate after success', async () => {
    receiver.answer('/flaky', 500, 500);
    const { webhook } = (await create(root, { url: `${receiver.url}/flaky`, eventTypes: ['login'] })).body;
    await login(system, 'alice');
    await until(() => receiver.at('/flaky').length === 3);
    const ids = new Set(receiver.at('/flaky').map((item) => item.headers['gatehouse-webhook-id']));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.at('/flaky').map((item) => item.body)).size).toBe(1);
    await until(
      async () =>
        (await api(system, 'GET', `/api/v1/admin/webhooks/${webhook.id}/deliveries`, { headers: root })).body.items[0]?.status ===
        'delivered',
    );
    // Long enough for another retry (100, 200, 400 ms) had the success not ended it.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(receiver.at('/flaky')).toHaveLength(3);
    const log = (await api(system, 'GET', `/api/v1/admin/webhooks/${webhook.id}/deliveries`, { headers: root })).body;
    expect(log.total).toBe(1);
    expect(log.items[0]).toMatchObject({
      eventType: 'login',
      status: 'delivered',
      attempts: 3,
      lastStatus: 200,
      lastError: null,
      deliveredAt: expect.any(String),
    });
    await api(system, 'DELETE', `/api/v1/admin/webhooks/${webhook.id}`, { headers: root });
  });

  it("gives up after the last attempt and keeps the receiver's answer in the delivery log", async () => {
    receiver.answer('/down', 503, 503, 503, 503);
    const { webhook } = (await create(root, { url: `${receiver.url}/down`, eventTypes: ['login'] })).body;
    await login(system, 'alice');
    await until(
      async () =>
        (await api(system, 'GET', `/api/v1/admin/webhooks/${webhook.id}/deliveries`, { headers: root })).body.items[0]?.status === 'failed',
      8000,
    );
    const log = (await api(system, 'GET', `/api/v1/admin/webhooks/${webhook.id}/deliveries`, { headers: root })).body;
    expect(log.items[0]).toMatchObject({ status: 'failed', attempts: 4, lastStatus: 503, lastError: 'ok' });
    expect(receiver.at('/down')).toHaveLength(4);
    await api(system, 'DELETE', `/api/v1/admin/webhooks/${webhook.id}`, { headers: root });
  });

  it('a receiver that never answers does not slow a login', async () => {
    const started = performance.now();
    await login(system, 'alice');
    const alone = performance.now() - started;
    const { webhook } = (await create(root, { url: `${receiver.url}/hang`, eventTypes: ['login'] })).body;
    const before = performance.now();
    const answer = await login(system, 'alice');
    const withHanging = performance.now() - before;
    expect(answer.status).toBe(200);
    await until(() => receiver.at('/hang').length === 1);
    // The receiver holds the delivery for 20 s (WEBHOOK_TIMEOUT_MS); the login does not wait for it.
    expect(withHanging).toBeLessThan(alone + 1000);
    await api(system, 'DELETE', `/api/v1/admin/webhooks/${webhook.id}`, { headers: root });
  });

  it("a domain admin manages only their domain's endpoints and receives only its events", async () => {
    expect((await create(dora, { url: `${receiver.url}/tenant`, eventTypes: ['login'], domain: null })).status).toBe(403);
    expect((await create(dora, { url: `${receiver.url}/tenant`, eventTypes: ['login'], domain: 'example.com' })).status).toBe(403);
    const made = await create(dora, { url: `${receiver.url}/tenant`, eventTypes: ['login'] });
    expect(made.body.webhook.domain).toBe(TENANT);
    const rootHook = (await create(root, { url: `${receiver.url}/root-only`, eventTypes: ['admin.change'], domain: 'example.com' })).body
      .webhook;
    const mine = (await api(system, 'GET', '/api/v1/admin/webhooks', { headers: dora })).body.items;
    expect(mine.map((item: { id: string }) => item.id)).toEqual([made.body.webhook.id]);
    expect((await api(system, 'DELETE', `/api/v1/admin/webhooks/${rootHook.id}`, { headers: dora })).status).toBe(404);

    await login(system, 'alice');
    await login(system, `dora@${TENANT}`);
    await until(() => receiver.at('/tenant').length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.at('/tenant')).toHaveLength(1);
    expect(JSON.parse(receiver.at('/tenant')[0]!.body).event).toMatchObject({ domain: TENANT, login: `dora@${TENANT}` });
  });

  it('refuses URLs that lead to private addresses, and URLs with credentials, naming the field', async () => {
    const internal = await create(root, { url: 'http://10.1.2.3/hook', eventTypes: ['login'] });
    expect(internal.status).toBe(422);
    expect(internal.body.error).toMatchObject({ code: 'outbound_not_allowed', details: { field: 'url' } });
    const withCredentials = await create(root, { url: 'https://user:pw@hooks.example.com/x', eventTypes: ['login'] });
    expect(withCredentials.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'url' } });
    const noTypes = await create(root, { url: 'https://hooks.example.com/x', eventTypes: [] });
    expect(noTypes.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'eventTypes' } });
  });
});
