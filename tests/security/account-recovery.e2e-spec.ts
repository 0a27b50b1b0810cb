import { SmtpSink, waitFor } from '@gatehouse/testing';
import { configureMail, linkIn } from '../approvals/support';
import { bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

/**
 * Issue 15, findings 5-7: account recovery that is final. A reset link dies once the password is
 * set any way; reset mails are limited per account and requests per client address; recovery that
 * ends the other sessions also ends the API keys; API keys cannot mint keys and expire.
 */
const NEW_PASSWORD = 'a brand new and long passphrase';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const RESET_MARKER = '/auth/password-reset/';
const apiKey = (key: string) => ({ authorization: `ApiKey ${key}` });

describe('account recovery and API keys (issue 15: findings 5, 6, 7)', () => {
  let system: TestSystem;
  let sink: SmtpSink;
  let addresses = 0;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    // TRUST_PROXY: each test speaks from its own client address (X-Forwarded-For), so the address limit is per test.
    system = await startTestSystem({ MAILER_RETRY_BACKOFF_MS: '50', TRUST_PROXY: 'true', LOG_LEVEL: 'warn' });
    await configureMail(system, sink);
  });
  afterAll(async () => {
    await system?.stop();
    await sink?.stop();
  });

  const newAddress = () => `198.51.100.${++addresses}`;
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const requestReset = (login: string, address: string) =>
    api(system, 'POST', '/api/v1/auth/password-reset', { body: { login }, headers: from(address) });
  const resetMails = (to: string) => sink.messagesTo(to).filter((m) => m.text?.includes(RESET_MARKER));
  const resetLinks = async (to: string, count: number) => {
    await waitFor(() => resetMails(to).length >= count);
    return resetMails(to).map((m) => linkIn(m.text, '/auth/password-reset'));
  };
  const redeem = async (link: string, body: Record<string, unknown>) => {
    const response = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const throttled = (limit: 'account' | 'address') => system.logs.where({ event: 'password_reset.throttled', limit });

  describe('finding 5: a reset link ends when the password is set', () => {
    it('a redeemed reset link voids the other links of the user', async () => {
      await createUser(system, { username: 'alice', email: 'alice@example.test' });
      const address = newAddress();
      await requestReset('alice', address);
      const [older] = await resetLinks('alice@example.test', 1);
      await requestReset('alice', address);
      const [, newer] = await resetLinks('alice@example.test', 2);

      expect(await redeem(newer, { newPassword: NEW_PASSWORD })).toMatchObject({ status: 200, body: { changed: true } });
      const stale = await redeem(older, { newPassword: 'the attacker would pick this one' });
      expect(stale).toEqual({ status: 410, body: { error: { code: 'reset_link_invalid', message: expect.any(String) } } });
      expect((await login(system, 'alice', NEW_PASSWORD)).status).toBe(200);
    });

    it('a password an administrator sets voids the reset links mailed before', async () => {
      const ada = await createUser(system, { username: 'ada', email: 'ada@example.test' });
      await createUser(system, { username: 'boss', admin: true });
      const adminToken = (await login(system, 'boss')).body.accessToken;
      await requestReset('ada', newAddress());
      const [link] = await resetLinks('ada@example.test', 1);

      const patched = await api(system, 'PATCH', `/api/v1/admin/users/${ada.id}`, {
        headers: bearer(adminToken),
        body: { password: NEW_PASSWORD },
      });
      expect(patched.status).toBe(200);

      expect((await redeem(link, { newPassword: 'the attacker would pick this one' })).status).toBe(410);
      expect((await login(system, 'ada', NEW_PASSWORD)).status).toBe(200);
    });
  });

  describe('finding 6: reset requests are limited', () => {
    it('twenty reset requests send at most 3 mails, only the newest link works, and the owner can ask again after the hour', async () => {
      await createUser(system, { username: 'bob', email: 'bob@example.test' });
      const address = newAddress();
      const before = throttled('account').length;

      const answers = [];
      for (let i = 0; i < 20; i++) answers.push(await requestReset('bob', address));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);

      // The 17 requests past the limit are logged (user and address, no link) and not mailed.
      await waitFor(() => throttled('account').length - before === 17);
      const links = await resetLinks('bob@example.test', 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(resetMails('bob@example.test')).toHaveLength(3);
      const logged = JSON.stringify(throttled('account'));
      for (const link of links) expect(logged).not.toContain(link.split('/').pop());

      // Of the three mails one link works (the newest; mails may arrive out of order).
      const statuses = [];
      for (const link of links) statuses.push((await redeem(link, { newPassword: NEW_PASSWORD })).status);
      expect(statuses.sort()).toEqual([200, 410, 410]);

      // The limit is no lock-out: after the window the owner gets a mail again.
      system.clock.advance(HOUR_MS + 1000);
      expect((await requestReset('bob', newAddress())).status).toBe(202);
      const [, , , fresh] = await resetLinks('bob@example.test', 4);
      expect((await redeem(fresh, { newPassword: 'yet another long new passphrase' })).status).toBe(200);
    });

    it('a newer reset link replaces the older one, so one link of an account works at a time', async () => {
      await createUser(system, { username: 'bert', email: 'bert@example.test' });
      const address = newAddress();
      await requestReset('bert', address);
      const [older] = await resetLinks('bert@example.test', 1);
      await requestReset('bert', address);
      const [, newer] = await resetLinks('bert@example.test', 2);

      expect((await redeem(older, { newPassword: NEW_PASSWORD })).status).toBe(410);
      expect((await redeem(newer, { newPassword: NEW_PASSWORD })).status).toBe(200);
    });

    it('one client address gets 20 requests an hour, for any logins; the rest answer 202 and mail nothing', async () => {
      await createUser(system, { username: 'carol', email: 'carol@example.test' });
      const address = newAddress();
      const before = throttled('address').filter((line) => line.ip === address).length;
      for (let i = 0; i < 20; i++) expect((await requestReset(`nobody-${i}`, address)).status).toBe(202);

      const dropped = await requestReset('carol', address);
      expect(dropped.status).toBe(202);
      expect(dropped.body).toEqual((await requestReset('nobody-else', address)).body);
      await waitFor(() => throttled('address').filter((line) => line.ip === address).length - before === 2);

      // The same login from another address is mailed: the limit is the address's, not carol's.
      await requestReset('carol', newAddress());
      await resetLinks('carol@example.test', 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(resetMails('carol@example.test')).toHaveLength(1);
    });
  });

  describe('finding 7: API keys end with recovery, cannot mint keys, expire', () => {
    it('a reset that ends other sessions also revokes API keys', async () => {
      await createUser(system, { username: 'dave', email: 'dave@example.test' });
      const attacker = (await login(system, 'dave')).body.accessToken;
      const made = await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(attacker), body: { name: 'backdoor' } });
      expect(made.status).toBe(201);
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(made.body.key) })).status).toBe(200);

      await requestReset('dave', newAddress());
      const [link] = await resetLinks('dave@example.test', 1);
      const reset = await redeem(link, { newPassword: NEW_PASSWORD, endOtherSessions: true });
      expect(reset).toEqual({ status: 200, body: { changed: true, sessionsEnded: 1, apiKeysRevoked: 1 } });

      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(made.body.key) })).status).toBe(401);
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(attacker) })).status).toBe(401);
    });

    it('a reset that keeps the other sessions keeps the API keys too', async () => {
      await createUser(system, { username: 'dora', email: 'dora@example.test' });
      const token = (await login(system, 'dora')).body.accessToken;
      const made = await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(token), body: { name: 'build server' } });

      await requestReset('dora', newAddress());
      const [link] = await resetLinks('dora@example.test', 1);
      expect(await redeem(link, { newPassword: NEW_PASSWORD, endOtherSessions: false })).toEqual({
        status: 200,
        body: { changed: true, sessionsEnded: 0, apiKeysRevoked: 0 },
      });
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(made.body.key) })).status).toBe(200);
    });

    it('an API key cannot mint another API key, nor revoke the other keys', async () => {
      await createUser(system, { username: 'erin' });
      const token = (await login(system, 'erin')).body.accessToken;
      const first = (await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(token), body: { name: 'first' } })).body;
      const second = (await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(token), body: { name: 'second' } })).body;

      const minted = await api(system, 'POST', '/api/v1/me/api-keys', { headers: apiKey(first.key), body: { name: 'offspring' } });
      expect(minted.status).toBe(403);
      expect(minted.body.error.code).toBe('interactive_session_required');
      const listed = await api(system, 'GET', '/api/v1/me/api-keys', { headers: apiKey(first.key) });
      expect(listed.body.apiKeys.map((k: { name: string }) => k.name)).toEqual(['first', 'second']);

      const other = await api(system, 'DELETE', `/api/v1/me/api-keys/${second.apiKey.id}`, { headers: apiKey(first.key) });
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('interactive_session_required');
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(second.key) })).status).toBe(200);

      // A key may retire itself (a script rotating its own key).
      expect((await api(system, 'DELETE', `/api/v1/me/api-keys/${first.apiKey.id}`, { headers: apiKey(first.key) })).status).toBe(200);
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(first.key) })).status).toBe(401);
    });

    it('an expired API key is refused', async () => {
      await createUser(system, { username: 'frank' });
      const token = (await login(system, 'frank')).body.accessToken;
      const short = await api(system, 'POST', '/api/v1/me/api-keys', {
        headers: bearer(token),
        body: { name: 'one day', expiresInDays: 1 },
      });
      const usual = await api(system, 'POST', '/api/v1/me/api-keys', { headers: bearer(token), body: { name: 'default' } });
      expect(Date.parse(short.body.apiKey.expiresAt) - Date.parse(short.body.apiKey.createdAt)).toBe(DAY_MS);
      expect(Date.parse(usual.body.apiKey.expiresAt) - Date.parse(usual.body.apiKey.createdAt)).toBe(90 * DAY_MS);
      const tooLong = await api(system, 'POST', '/api/v1/me/api-keys', {
        headers: bearer(token),
        body: { name: 'forever', expiresInDays: 366 },
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.code).toBe('validation_failed');
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(short.body.key) })).status).toBe(200);

      system.clock.advance(DAY_MS + 1000);
      const expired = await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(short.body.key) });
      const unknown = await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(`ghk_${'x'.repeat(43)}`) });
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual(unknown.body);
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: apiKey(usual.body.key) })).status).toBe(200);

      const list = await api(system, 'GET', '/api/v1/me/api-keys', { headers: apiKey(usual.body.key) });
      expect(list.body.apiKeys).toEqual([
        expect.objectContaining({ name: 'one day', expiresAt: short.body.apiKey.expiresAt }),
        expect.objectContaining({ name: 'default', expiresAt: usual.body.apiKey.expiresAt, lastUsedAt: expect.any(String) }),
      ]);
    });
  });
});
