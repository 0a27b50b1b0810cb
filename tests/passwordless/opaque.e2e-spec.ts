import * as opaque from '@serenity-kit/opaque';
import { NatsClient } from '@gatehouse/platform';
import type { Browser } from 'playwright-core';
import { AuthSettingsSubjects, DirectorySubjects } from '@gatehouse/contracts';
import { CredentialsRepository } from '../../apps/auth/src/passwords/credentials.repository';
import { HashingPool } from '../../apps/auth/src/passwords/hashing-pool';
import { createUser, DEVICE, GOOD_PASSWORD, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import { closeBrowser, ensureWebClientBuilt, launchChromium, screenshot, signIn } from '../web/support';
import { retryBrowserSteps } from '../support/retry';

/** The client half of an OPAQUE login, as the web client runs it. */
async function opaqueLogin(system: TestSystem, username: string, password: string) {
  await opaque.ready;
  const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password });
  const start = await api(system, 'POST', '/api/v1/auth/opaque/login/start', { body: { username, startLoginRequest } });
  if (start.status !== 200) return { start, finish: undefined, login: undefined };
  const finish = opaque.client.finishLogin({
    clientLoginState,
    loginResponse: start.body.loginResponse,
    password,
    keyStretching: { 'argon2id-custom': start.body.keyStretching },
  });
  const login = finish
    ? await api(system, 'POST', '/api/v1/auth/opaque/login/finish', {
        body: { loginId: start.body.loginId, finishLoginRequest: finish.finishLoginRequest, device: DEVICE },
      })
    : undefined;
  return { start, finish, login };
}

retryBrowserSteps();

describe('OPAQUE (RFC 9807) for PBX passwords', () => {
  let system: TestSystem;
  let browser: Browser;
  let nats: NatsClient;
  const settings = (change: Record<string, unknown>) =>
    nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, ...change });

  beforeAll(async () => {
    await ensureWebClientBuilt();
    [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'olga' });
  }, 180_000);
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
  }, 60_000);

  it('signs the web client in by OPAQUE: no request body it sends contains the password', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const sent: Array<{ path: string; body: string }> = [];
    page.on('request', (request) =>
      sent.push({ path: `${request.method()} ${new URL(request.url()).pathname}`, body: request.postData() ?? '' }),
    );
    await page.goto(system.url);
    await signIn(page, 'olga');
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await screenshot(page, 'passwordless-opaque-signed-in');
    expect(sent.map((r) => r.path)).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/opaque/login/start', 'POST /api/v1/auth/opaque/login/finish']),
    );
    expect(sent.map((r) => r.path)).not.toContain('POST /api/v1/auth/login');
    expect(sent.filter((r) => r.body.includes(GOOD_PASSWORD) || r.body.includes(encodeURIComponent(GOOD_PASSWORD)))).toEqual([]);
    await context.close();
  });

  it('answers an unknown user exactly as a wrong password: same first message, and the client cannot finish either', async () => {
    const unknown = await opaqueLogin(system, 'nobody-at-all', GOOD_PASSWORD);
    const wrong = await opaqueLogin(system, 'olga', 'not the right password at all');
    for (const attempt of [unknown, wrong]) {
      expect(attempt.start.status).toBe(200);
      expect(Object.keys(attempt.start.body).sort()).toEqual(['keyStretching', 'loginId', 'loginResponse']);
      expect(attempt.finish).toBeUndefined();
    }
    expect(unknown.start.body.loginResponse).toHaveLength(wrong.start.body.loginResponse.length);
    expect(unknown.start.body.keyStretching).toEqual(wrong.start.body.keyStretching);
    // The right password finishes.
    expect((await opaqueLogin(system, 'olga', GOOD_PASSWORD)).login?.status).toBe(200);
  });

  it('throttles OPAQUE attempts like plain ones: an unfinished login counts as a failure, then 429 with Retry-After', async () => {
    await opaque.ready;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { startLoginRequest } = opaque.client.startLogin({ password: `guess number ${i} for olga` });
      const start = await api(system, 'POST', '/api/v1/auth/opaque/login/start', {
        body: { username: 'olga@example.com', startLoginRequest },
      });
      statuses.push(start.status);
      if (start.status === 429) expect(Number(start.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('keeps only the OPAQUE record: setting a password leaves no hash', async () => {
    const auth = system.services.find((service) => {
      try {
        return !!service.get(CredentialsRepository, { strict: false });
      } catch {
        return false;
      }
    })!;
    const credentials = auth.get(CredentialsRepository, { strict: false });
    const user = await createUser(system, { username: 'petra' });
    expect(await credentials.hashOf(user.id)).toBeNull();
    expect(await credentials.hasPassword(user.id)).toBe(true);
  });

  it("turns an argon2id hash into an OPAQUE record at its owner's first plain login", async () => {
    const auth = system.services.find((service) => {
      try {
        return !!service.get(HashingPool, { strict: false });
      } catch {
        return false;
      }
    })!;
    const credentials = auth.get(CredentialsRepository, { strict: false });
    const hashing = auth.get(HashingPool, { strict: false });
    // A user from before this release: an argon2id hash and no record.
    const { user } = await nats.send(DirectorySubjects.userCreate, { domain: 'example.com', username: 'hanna' });
    await credentials.set(user.id, await hashing.hash(GOOD_PASSWORD));
    expect((await opaqueLogin(system, 'hanna', GOOD_PASSWORD)).finish).toBeUndefined();

    expect((await login(system, 'hanna', GOOD_PASSWORD)).status).toBe(200);
    const deadline = Date.now() + 20_000;
    while ((await credentials.hashOf(user.id)) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await credentials.hashOf(user.id)).toBeNull();
    expect((await opaqueLogin(system, 'hanna', GOOD_PASSWORD)).login?.status).toBe(200);
    // The plain route still works for scripts, now checked against the record.
    expect((await login(system, 'hanna', GOOD_PASSWORD)).status).toBe(200);
    expect((await login(system, 'hanna', 'wrong password for hanna')).body.error.code).toBe('invalid_credentials');
  });

  it('closes the plain route for PBX passwords by policy with a clear error; OPAQUE and the web client still sign in', async () => {
    await settings({ pbxPlainLogin: false });
    try {
      const plain = await login(system, 'olga', GOOD_PASSWORD);
      expect(plain.status).toBe(403);
      expect(plain.body.error.code).toBe('plain_login_disabled');
      expect((await login(system, 'nobody-at-all', GOOD_PASSWORD)).body.error.code).toBe('plain_login_disabled');
      expect((await api(system, 'GET', '/api/v1/auth/methods')).body.pbxPlainLogin).toBe(false);
      expect((await opaqueLogin(system, 'olga', GOOD_PASSWORD)).login?.status).toBe(200);

      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const paths: string[] = [];
      page.on('request', (request) => paths.push(`${request.method()} ${new URL(request.url()).pathname}`));
      await page.goto(system.url);
      await signIn(page, 'olga', 'a wrong password for olga');
      await page.getByText('Wrong username or password').waitFor();
      await signIn(page, 'olga');
      await page.getByRole('heading', { name: 'Home' }).waitFor();
      expect(paths).not.toContain('POST /api/v1/auth/login');
      await context.close();
    } finally {
      await settings({ pbxPlainLogin: true });
    }
  });
});
