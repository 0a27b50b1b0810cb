import { NatsClient } from '@gatehouse/platform';
import { SmtpSink } from '@gatehouse/testing';
import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { bearer, createUser, GOOD_PASSWORD, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import { configureMail, linkIn, mailTo } from './support';

const BOB = 'bob@example.test';
const NEW_PASSWORD = 'a brand new and long passphrase';

describe('password reset ("Forgot password?")', () => {
  let system: TestSystem;
  let sink: SmtpSink;
  let nats: NatsClient;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    system = await startTestSystem({ MAILER_RETRY_BACKOFF_MS: '50' });
    nats = system.gateway.get(NatsClient, { strict: false });
    await configureMail(system, sink);
    await createUser(system, { username: 'bob', email: BOB });
  });
  afterAll(async () => {
    await system?.stop();
    await sink?.stop();
  });

  const requestReset = (login: string) => api(system, 'POST', '/api/v1/auth/password-reset', { body: { login } });

  it('answers 202 alike for a known and an unknown login, and mails only the known one', async () => {
    const known = await requestReset('bob');
    const unknown = await requestReset('nobody-here');
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(unknown.body).toEqual(known.body);
    const mail = await mailTo(sink, BOB, '/auth/password-reset/');
    expect(linkIn(mail.text, '/auth/password-reset').startsWith(`${system.url}/api/v1/auth/password-reset/`)).toBe(true);
    expect(sink.messages.filter((m) => m.to.some((to) => to.includes('nobody')))).toEqual([]);
  });

  it('changes the password once through the link, logs nobody in, ends other sessions and says so by mail', async () => {
    const device = (await login(system, 'bob')).body;
    const before = sink.messagesTo(BOB).filter((m) => m.text.includes('/auth/password-reset/')).length;
    await requestReset('bob@example.com');
    const link = linkIn((await mailTo(sink, BOB, '/auth/password-reset/', before)).text, '/auth/password-reset');

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('newPassword');

    const tooShort = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ newPassword: 'short' }),
    });
    expect(tooShort.status).toBe(422);
    expect(((await tooShort.json()) as { error: { code: string } }).error.code).toBe('weak_password'); // a refused password does not burn the link

    const post = () =>
      fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ newPassword: NEW_PASSWORD, endOtherSessions: true }),
      });
    const changed = await post();
    expect(changed.status).toBe(200);
    const body = (await changed.json()) as Record<string, unknown>;
    expect(body).toEqual({ changed: true, sessionsEnded: 1, apiKeysRevoked: 0 });
    expect(body.accessToken).toBeUndefined();

    const again = await post();
    expect(again.status).toBe(410);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('reset_link_invalid');

    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(device.accessToken) })).status).toBe(401);
    expect((await login(system, 'bob', GOOD_PASSWORD)).status).toBe(401);
    expect((await login(system, 'bob', NEW_PASSWORD)).status).toBe(200);
    const notice = await mailTo(sink, BOB, 'was changed');
    expect(notice.subject).toBe('Your password was changed');
  });

  it('is refused when the administrator turns it off, and the login form no longer offers it', async () => {
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, passwordReset: false });
    try {
      expect((await api(system, 'GET', '/api/v1/auth/methods')).body.passwordReset).toBe(false);
      const refused = await requestReset('bob');
      expect(refused.body.error.code).toBe('password_reset_disabled');
    } finally {
      await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, passwordReset: true });
    }
  });
});
