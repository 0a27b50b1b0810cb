import { Metrics, NatsClient } from '@gatehouse/platform';
import { SmtpSink, waitFor } from '@gatehouse/testing';
import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { bearer, createUser, login } from '../auth/support';
import { openSocket, authedSocket } from '../sessions/ws-client';
import { api, startTestSystem, TestSystem } from '../support/system';
import { configureMail, linkIn, mailTo } from './support';

const ALICE = 'alice@example.test';

describe('two-factor approval of new logins', () => {
  let system: TestSystem;
  let sink: SmtpSink;
  let nats: NatsClient;
  let first: { accessToken: string; session: { id: string } };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    // info: the audit events are asserted from the log lines
    system = await startTestSystem({ APPROVAL_RATE_LIMIT: '30', MAILER_RETRY_BACKOFF_MS: '50', LOG_LEVEL: 'info' });
    nats = system.gateway.get(NatsClient, { strict: false });
    await configureMail(system, sink);
    await createUser(system, { username: 'alice', email: ALICE });
    first = (await login(system, 'alice')).body; // before two-factor: the device every later login asks
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: true });
  });
  afterAll(async () => {
    await system?.stop();
    await sink?.stop();
  });

  const authMetrics = async () => {
    const texts = await Promise.all(system.services.map((service) => service.get(Metrics, { strict: false }).text()));
    return texts.find((text) => text.includes('service="auth"')) ?? '';
  };
  const poll = (pending: { pendingId: string; pollToken: string }) =>
    api(system, 'GET', `/api/v1/auth/login/pending/${pending.pendingId}`, { headers: { authorization: `Pending ${pending.pollToken}` } });

  it('makes a second login wait, shows the same code on the signed-in device, and lets it in on Accept', async () => {
    const signedIn = await authedSocket(system.url, first.accessToken);
    const waiting = await login(system, 'alice', undefined, { device: { name: 'New phone', platform: 'ios' } });
    expect(waiting.status).toBe(202);
    expect(waiting.body).toMatchObject({
      status: 'pending',
      securityCode: expect.stringMatching(/^\d{6}$/),
      approvalChannels: ['session', 'email'],
    });
    expect(waiting.body.session).toBeUndefined();

    const pendingSocket = await openSocket(system.url);
    pendingSocket.ws.send(JSON.stringify({ type: 'pending', pendingId: waiting.body.pendingId, pollToken: waiting.body.pollToken }));
    await pendingSocket.next('ready');

    const request = await signedIn.next('approval.requested');
    expect(request).toMatchObject({
      pendingId: waiting.body.pendingId,
      securityCode: waiting.body.securityCode,
      device: { name: 'New phone' },
      ip: expect.any(String),
    });
    expect((await api(system, 'GET', '/api/v1/me/approvals', { headers: bearer(first.accessToken) })).body.approvals).toHaveLength(1);
    expect((await poll(waiting.body)).body).toEqual({ status: 'pending' });
    expect(await authMetrics()).toMatch(/^gatehouse_pending_approvals\{service="auth"\} 1$/m);

    const accepted = await api(system, 'POST', `/api/v1/me/approvals/${waiting.body.pendingId}`, {
      body: { decision: 'accept' },
      headers: bearer(first.accessToken),
    });
    expect(accepted.body).toEqual({ status: 'approved' });
    expect(await pendingSocket.next('approval.decided')).toMatchObject({ pendingId: waiting.body.pendingId, status: 'approved' });

    const collected = await poll(waiting.body);
    expect(collected.body).toMatchObject({
      status: 'approved',
      session: { id: expect.any(String), password: expect.any(String) },
      accessToken: expect.any(String),
    });
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(collected.body.accessToken) })).status).toBe(200);
    expect((await poll(waiting.body)).body).toEqual({ status: 'approved' }); // the credentials come once
    expect(await authMetrics()).toMatch(/^gatehouse_pending_approvals\{service="auth"\} 0$/m);
    expect((await poll({ ...waiting.body, pollToken: 'wrong-token' })).status).toBe(401);

    // the new-device notice (the first login had one too): names the device and links to the sessions page
    const notice = await mailTo(sink, ALICE, '/#/security', 1);
    expect(notice.text).toContain('New phone (ios)');
    signedIn.ws.close();
    pendingSocket.ws.close();
  });

  it('accepts through the emailed link once: the page shows the same code, a second use is refused', async () => {
    const waiting = (await login(system, 'alice', undefined, { device: { name: 'Mail laptop', platform: 'linux' } })).body;
    const mail = await mailTo(sink, ALICE, waiting.securityCode);
    expect(mail.html).toContain(waiting.securityCode);
    const link = linkIn(mail.text, '/approvals/email');
    expect(link.startsWith(`${system.url}/api/v1/approvals/email/`)).toBe(true);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain(waiting.securityCode);
    expect(html).toContain('Mail laptop');
    expect((await poll(waiting)).body.status).toBe('pending'); // showing the page decides nothing

    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=accept' };
    const decided = await fetch(link, form);
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('accepted');
    const again = await fetch(link, form);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been used');
    expect((await poll(waiting)).body).toMatchObject({ status: 'approved', accessToken: expect.any(String) });
  });

  it('lets exactly one of two browsers redeeming the same link at once win', async () => {
    const waiting = (await login(system, 'alice')).body;
    const link = linkIn((await mailTo(sink, ALICE, waiting.securityCode)).text, '/approvals/email');
    const post = () =>
      fetch(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'accept' }) });
    const statuses = (await Promise.all([post(), post(), post()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 410, 410]);
  });

  it('ends the login on Reject, tells the waiting device, and records it', async () => {
    const waiting = (await login(system, 'alice')).body;
    const pendingSocket = await openSocket(system.url);
    pendingSocket.ws.send(JSON.stringify({ type: 'pending', pendingId: waiting.pendingId, pollToken: waiting.pollToken }));
    await pendingSocket.next('ready');
    const link = linkIn((await mailTo(sink, ALICE, waiting.securityCode)).text, '/approvals/email');
    const rejected = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=reject',
    });
    expect(await rejected.text()).toContain('change your password');
    expect(await pendingSocket.next('approval.decided')).toMatchObject({ status: 'rejected' });
    expect((await poll(waiting)).body).toEqual({ status: 'rejected' });
    const late = await api(system, 'POST', `/api/v1/me/approvals/${waiting.pendingId}`, {
      body: { decision: 'accept' },
      headers: bearer(first.accessToken),
    });
    expect(late.body.error.code).toBe('approval_already_decided');
    await waitFor(() => system.logs.lines.some((line) => line.event === 'audit.approval' && line.outcome === 'rejected'));
    pendingSocket.ws.close();
  });

  it('lets the waiting device withdraw its login: the approvers are told, the link and the poll say so', async () => {
    const signedIn = await authedSocket(system.url, first.accessToken);
    const waiting = (await login(system, 'alice', undefined, { device: { name: 'Changed my mind', platform: 'web' } })).body;
    await signedIn.next('approval.requested');
    const link = linkIn((await mailTo(sink, ALICE, waiting.securityCode)).text, '/approvals/email');
    const cancel = (pollToken: string) =>
      api(system, 'DELETE', `/api/v1/auth/login/pending/${waiting.pendingId}`, { headers: { authorization: `Pending ${pollToken}` } });

    expect((await cancel('not-the-poll-token')).status).toBe(401);
    const cancelled = await cancel(waiting.pollToken);
    expect(cancelled.body).toEqual({ status: 'cancelled' });
    expect(await signedIn.next('approval.decided')).toMatchObject({ pendingId: waiting.pendingId, status: 'cancelled' });
    expect((await poll(waiting)).body).toEqual({ status: 'cancelled' });
    expect((await api(system, 'GET', '/api/v1/me/approvals', { headers: bearer(first.accessToken) })).body.approvals).toEqual([]);
    const late = await api(system, 'POST', `/api/v1/me/approvals/${waiting.pendingId}`, {
      body: { decision: 'accept' },
      headers: bearer(first.accessToken),
    });
    expect(late.body.error.code).toBe('approval_already_decided');
    const byMail = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'accept' }),
    });
    expect(byMail.status).toBe(409);
    expect((await cancel(waiting.pollToken)).body).toEqual({ status: 'cancelled' }); // again: same answer, nothing new
    signedIn.ws.close();
  });

  it('expires a login nobody answers', async () => {
    const waiting = (await login(system, 'alice')).body;
    system.clock.advance(10 * 60_000 + 1);
    expect((await poll(waiting)).body).toEqual({ status: 'expired' });
    const late = await api(system, 'POST', `/api/v1/me/approvals/${waiting.pendingId}`, {
      body: { decision: 'accept' },
      headers: bearer(first.accessToken),
    });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('approval_expired');
  });

  it('in transfer mode sends no code to the approver, counts wrong codes and rejects after too many', async () => {
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, approvalMode: 'transfer' });
    try {
      const signedIn = await authedSocket(system.url, first.accessToken);
      const waiting = (await login(system, 'alice')).body;
      const request = await signedIn.next('approval.requested');
      expect(request.mode).toBe('transfer');
      expect(request.securityCode).toBeUndefined();
      const decide = (code?: string) =>
        api(system, 'POST', `/api/v1/me/approvals/${waiting.pendingId}`, {
          body: { decision: 'accept', ...(code ? { code } : {}) },
          headers: bearer(first.accessToken),
        });
      const wrong = String((Number(waiting.securityCode) + 1) % 1_000_000).padStart(6, '0');
      const missing = await decide();
      expect(missing.body.error).toMatchObject({ code: 'invalid_security_code', details: { attemptsLeft: 4 } });
      for (let i = 0; i < 3; i++) expect((await decide(wrong)).body.error.code).toBe('invalid_security_code');
      expect((await decide(wrong)).body.error.code).toBe('approval_expired');
      expect((await poll(waiting)).body.status).toBe('rejected');

      const next = (await login(system, 'alice')).body;
      const ok = await api(system, 'POST', `/api/v1/me/approvals/${next.pendingId}`, {
        body: { decision: 'accept', code: next.securityCode },
        headers: bearer(first.accessToken),
      });
      expect(ok.body).toEqual({ status: 'approved' });
      signedIn.ws.close();
    } finally {
      await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, approvalMode: 'compare' });
    }
  });

  it('refuses users with no way to approve unless the policy lets them in', async () => {
    await createUser(system, { username: 'nomail' });
    const refused = await login(system, 'nomail');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'approval_unavailable', details: { approvalChannels: [] } });
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, allowLoginWithoutApprovalPath: true });
    try {
      expect((await login(system, 'nomail')).status).toBe(200);
    } finally {
      await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, allowLoginWithoutApprovalPath: false });
    }
  });

  it('limits approval requests per account', async () => {
    await createUser(system, { username: 'flooded', email: 'flooded@example.test' });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await login(system, 'flooded')).status);
    expect(statuses.slice(0, 30).every((s) => s === 202)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
