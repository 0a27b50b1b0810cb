import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mintToken } from '../auth/support';
import { adminApi, adminToken, GOOD_PASSWORD, me, tokenFor } from '../directory/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import { closeBrowser, launchChromium, screenshot } from '../web/support';
import { ensureClientAndLoginSdkBuilt, GATEHOUSE_SDK_FILE, startWebApp } from './support';
import { retryBrowserSteps } from '../support/retry';

// Sign-ins hash passwords at the lowest CPU priority: on a busy machine a test may wait long for one.
jest.setTimeout(120_000);
retryBrowserSteps();

interface Outcome {
  ok: boolean;
  user?: { username: string; domain: string };
  subid?: string | null;
  code?: string;
  errno?: number;
}

describe('login library for web apps on other origins (/sdk/gatehouse.js), hosted login and CORS', () => {
  let system: TestSystem;
  let browser: Browser;
  let app: { url: string; close(): Promise<void> };
  let stranger: { url: string; close(): Promise<void> };
  let admin: ReturnType<typeof adminApi>;
  let nats: NatsClient;
  let approver: string; // an access token of eve's first device: it approves her later logins
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureClientAndLoginSdkBuilt();
    [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
    nats = system.gateway.get(NatsClient, { strict: false });
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: false });
    admin = adminApi(system, await adminToken(system));
    app = await startWebApp('127.0.0.2', system.url);
    stranger = await startWebApp('127.0.0.3', system.url);
    // The app object's url gives its origin (127.0.0.2); 127.0.0.3 is registered nowhere.
    await admin('POST', '/admin/apps', { id: 'webapp', name: 'Web app', url: `${app.url}/webapp`, secret: 'webapp-secret' }, 201);
    await admin('POST', '/admin/users', { username: 'eve', password: GOOD_PASSWORD, apps: ['webapp'] }, 201);
    approver = await tokenFor(system, 'eve');
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await closeBrowser(browser);
    await Promise.all([app?.close(), stranger?.close()]);
    await system?.stop();
  }, 60_000);

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    return context;
  }

  async function openApp(context: BrowserContext, url = app.url): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${url}/webapp.htm`);
    await page.waitForFunction('window.ready === true');
    return page;
  }

  /** Clicks "Log in" with these options (JSON); the outcome is read with `outcome`. */
  async function clickLogin(page: Page, options: object): Promise<void> {
    await page.evaluate(`window.loginOptions = ${JSON.stringify(options)}`);
    await page.click('#login');
  }

  async function outcome(page: Page, timeout = 30_000): Promise<Outcome> {
    await page.waitForFunction('window.outcome !== undefined', undefined, { timeout });
    return page.evaluate<Outcome>('window.outcome');
  }

  const sessionsOf = async (token: string) =>
    (await me(system, token, 'GET', '/sessions')).body.sessions as Array<{ id: string; device: { name: string } }>;
  const appDevice = (url: string) => `Web app at ${url}`;

  it('registers origins per app (the app url plus an admin list) with a token lifetime, and refuses what is not an origin', async () => {
    expect((await admin('GET', '/admin/apps/webapp/web-origins', undefined, 200)).body).toEqual({
      app: 'webapp',
      domain: 'example.com',
      appOrigin: app.url,
      origins: [],
      tokenLifetimeHours: null,
    });
    const saved = await admin(
      'PUT',
      '/admin/apps/webapp/web-origins',
      { origins: ['https://extra.example.net'], tokenLifetimeHours: 2 },
      200,
    );
    expect(saved.body).toMatchObject({ origins: ['https://extra.example.net'], tokenLifetimeHours: 2 });
    for (const origin of ['https://extra.example.net/', 'https://x.example/path', 'ftp://x.example', 'nonsense']) {
      const refused = await admin('PUT', '/admin/apps/webapp/web-origins', { origins: [origin] });
      expect([refused.status, refused.body.error.code]).toEqual([400, 'validation_failed']);
    }
    expect((await admin('PUT', '/admin/apps/nosuch/web-origins', { origins: [] })).status).toBe(404);
    const user = await tokenFor(system, 'eve');
    expect(
      (await api(system, 'GET', '/api/v1/admin/apps/webapp/web-origins', { headers: { authorization: `Bearer ${user}` } })).status,
    ).toBe(403);
  });

  it('answers CORS for registered origins only: preflight, no credentials, and no answer to others', async () => {
    const preflight = (origin: string) =>
      fetch(`${system.url}/api/v1/me`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight(app.url);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(app.url);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const extra = await preflight('https://extra.example.net');
    expect(extra.headers.get('access-control-allow-origin')).toBe('https://extra.example.net');

    const refused = await preflight(stranger.url);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    const plain = await fetch(`${system.url}/api/v1/auth/methods`, { headers: { origin: stranger.url } });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('logs in with username and password, resumes after a reload without a prompt, and rejects after a remote logout', async () => {
    await admin('PUT', '/admin/apps/webapp/web-origins', { origins: [], tokenLifetimeHours: 2 }, 200);
    const context = await newContext();
    const popups: Page[] = [];
    context.on('page', (opened) => popups.push(opened));
    const page = await openApp(context);
    const before = system.clock.nowMs(); // the server's clock decides the token's end
    await clickLogin(page, { username: 'eve', password: GOOD_PASSWORD });
    expect(await outcome(page)).toMatchObject({ ok: true, user: { username: 'eve', domain: 'example.com' } });
    // tokenCB: one live token, ending with the origin's lifetime (2 hours).
    const tokens = await page.evaluate<Record<string, number>>('window.tokens');
    const [[token, until]] = Object.entries(tokens);
    expect(token).toMatch(/^gh1\.[0-9a-f-]{36}\./);
    expect(until).toBeGreaterThanOrEqual(before + 2 * 3600_000 - 5000);
    expect(until).toBeLessThanOrEqual(system.clock.nowMs() + 2 * 3600_000 + 5000);

    await page.reload();
    await page.waitForFunction('window.ready === true');
    await clickLogin(page, { checkonly: true });
    expect(await outcome(page)).toMatchObject({ ok: true, user: { username: 'eve' } });
    expect(await page.evaluate('Gatehouse.Auth.loggedIn')).toBe(true);
    expect(popups.length).toBe(1); // the app page itself: no login prompt was opened

    const mine = (await sessionsOf(approver)).find((session) => session.device.name === appDevice(app.url));
    expect(mine).toBeDefined();
    expect((await me(system, approver, 'DELETE', `/sessions/${mine!.id}`)).status).toBe(200);
    await page.reload();
    await page.waitForFunction('window.ready === true');
    await clickLogin(page, { checkonly: true });
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'not_logged_in' });
    await screenshot(page, 'login-sdk-checkonly-after-remote-logout');
  });

  it('calls onLogout with errno 2 within a second of a remote logout', async () => {
    const context = await newContext();
    const page = await openApp(context);
    await clickLogin(page, { username: 'eve', password: GOOD_PASSWORD, subid: 'feed' });
    expect(await outcome(page)).toMatchObject({ ok: true });
    const session = (await sessionsOf(approver)).find((s) => s.device.name === appDevice(app.url));
    expect(session).toBeDefined();
    // The library's live feed authenticates right after the login.
    await page.waitForFunction('Gatehouse.Auth.following === true', undefined, { timeout: 10_000 });
    const revokedAt = Date.now();
    expect((await me(system, approver, 'DELETE', `/sessions/${session!.id}`)).status).toBe(200);
    await page.waitForFunction('window.logouts.length > 0', undefined, { timeout: 5000 });
    const [event] = await page.evaluate<Array<{ errno: number; at: number }>>('window.logouts');
    expect(event.errno).toBe(2);
    expect(event.at - revokedAt).toBeLessThan(1000);
    expect(await page.evaluate('Gatehouse.Auth.loggedIn')).toBe(false);
  });

  it('logs in through the hosted pop-up with two-factor approval, and a later pop-up needs no typing', async () => {
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: true });
    try {
      const context = await newContext();
      const page = await openApp(context);
      const opened = context.waitForEvent('page');
      await clickLogin(page, {});
      const popup = await opened;
      await popup.waitForLoadState();
      expect(popup.url()).toContain(`${system.url}/hosted-login?origin=${encodeURIComponent(app.url)}`);
      await popup.getByLabel('Username or email').fill('eve');
      await popup.getByLabel('Password').fill(GOOD_PASSWORD);
      await popup.getByRole('button', { name: 'Sign in' }).click();
      const code = (await popup.locator('#security-code').textContent())!;
      expect(code).toMatch(/^\d{6}$/);
      await screenshot(popup, 'login-sdk-popup-two-factor');
      const { approvals } = (await me(system, approver, 'GET', '/approvals')).body as {
        approvals: Array<{ pendingId: string; securityCode?: string }>;
      };
      expect(approvals).toHaveLength(1);
      expect(approvals[0].securityCode).toBe(code);
      expect((await me(system, approver, 'POST', `/approvals/${approvals[0].pendingId}`, { decision: 'accept' })).status).toBe(200);
      expect(await outcome(page)).toMatchObject({ ok: true, user: { username: 'eve' } });
      await popup.waitForEvent('close', { timeout: 10_000 }).catch(() => undefined);
      expect(popup.isClosed()).toBe(true);

      // The app forgets everything; the API host's page still holds the login, so the pop-up answers by itself.
      await page.evaluate('Gatehouse.Auth.exit({ cleanup: true }).then(() => localStorage.clear())');
      const again = context.waitForEvent('page');
      await clickLogin(page, {});
      await again;
      expect(await outcome(page)).toMatchObject({ ok: true, user: { username: 'eve' } });
    } finally {
      await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: false });
    }
  });

  it('rejects a two-factor login that is rejected', async () => {
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: true });
    try {
      const context = await newContext();
      const page = await openApp(context);
      await clickLogin(page, { username: 'eve', password: GOOD_PASSWORD, nodom: true });
      await page.waitForFunction('document.getElementById("code").textContent.length === 6');
      const { approvals } = (await me(system, approver, 'GET', '/approvals')).body as { approvals: Array<{ pendingId: string }> };
      expect((await me(system, approver, 'POST', `/approvals/${approvals[0].pendingId}`, { decision: 'reject' })).status).toBe(200);
      expect(await outcome(page)).toMatchObject({ ok: false, code: 'rejected' });
    } finally {
      await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: false });
    }
  });

  it('keeps two tabs with different sub-ids independent', async () => {
    const context = await newContext();
    const first = await openApp(context);
    const second = await openApp(context);
    const [subA, subB] = [
      await first.evaluate<string>('Gatehouse.Auth.getSubID()'),
      await second.evaluate<string>('Gatehouse.Auth.getSubID()'),
    ];
    expect(subA).not.toBe(subB);
    await clickLogin(first, { username: 'eve', password: GOOD_PASSWORD, subid: subA });
    await clickLogin(second, { username: 'eve', password: GOOD_PASSWORD, subid: subB });
    expect(await outcome(first)).toMatchObject({ ok: true, subid: subA });
    expect(await outcome(second)).toMatchObject({ ok: true, subid: subB });
    const subids = (await sessionsOf(approver)).map((session) => (session as { subid?: string | null }).subid);
    expect(subids).toEqual(expect.arrayContaining([subA, subB]));

    await first.evaluate('Gatehouse.Auth.exit({ logout: true, cleanup: true })');
    await Promise.all([first.reload(), second.reload()]);
    await Promise.all([first.waitForFunction('window.ready === true'), second.waitForFunction('window.ready === true')]);
    await clickLogin(first, { checkonly: true, subid: subA });
    await clickLogin(second, { checkonly: true, subid: subB });
    expect(await outcome(first)).toMatchObject({ ok: false, code: 'not_logged_in' });
    expect(await outcome(second)).toMatchObject({ ok: true, subid: subB });
    const stillThere = (await sessionsOf(approver)).map((session) => (session as { subid?: string | null }).subid);
    expect(stillThere).toContain(subB);
    expect(stillThere).not.toContain(subA);
  });

  it('leaves no device behind for a notoken login, and keeps nothing in the page', async () => {
    const context = await newContext();
    const page = await openApp(context);
    await clickLogin(page, { username: 'eve', password: GOOD_PASSWORD, notoken: true, subid: 'notoken' });
    expect(await outcome(page)).toMatchObject({ ok: true });
    expect(await page.evaluate<Record<string, unknown>>('window.tokens')).toEqual({});
    expect(await page.evaluate<number>('Object.keys(localStorage).filter((k) => k.startsWith("gatehouse")).length')).toBe(0);
    await page.close({ runBeforeUnload: true });
    const deadline = Date.now() + 10_000;
    let subids: Array<string | null | undefined> = [];
    do {
      await new Promise((wake) => setTimeout(wake, 200));
      subids = (await sessionsOf(approver)).map((session) => (session as { subid?: string | null }).subid);
    } while (subids.includes('notoken') && Date.now() < deadline);
    expect(subids).not.toContain('notoken');
  });

  it('gives a page on an unregistered origin no token: no CORS answer and no pop-up result', async () => {
    const context = await newContext();
    const page = await openApp(context, stranger.url);
    await clickLogin(page, { username: 'eve', password: GOOD_PASSWORD, nodom: true });
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'network' });

    const opened = context.waitForEvent('page');
    await clickLogin(page, {});
    const popup = await opened;
    await popup.waitForLoadState();
    await expect(popup.locator('.error').textContent()).resolves.toContain('is not registered');
    expect(await popup.locator('form').count()).toBe(0);
    expect((await fetch(popup.url())).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await popup.close();
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'cancelled' });
    expect(await page.evaluate<number>('Object.keys(localStorage).length')).toBe(0);
  });

  it('lets only the registered origin frame the hosted page', async () => {
    const registered = await fetch(`${system.url}/hosted-login?origin=${encodeURIComponent(app.url)}`);
    expect(registered.status).toBe(200);
    expect(/frame-ancestors ([^;]*)/.exec(registered.headers.get('content-security-policy') ?? '')?.[1]).toBe(app.url);
    const refused = await fetch(`${system.url}/hosted-login?origin=${encodeURIComponent(stranger.url)}`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('works from Node as a package: login with username and password, then checkonly', async () => {
    const script = [
      `const { Auth } = await import(${JSON.stringify(GATEHOUSE_SDK_FILE)});`,
      `Auth.setHost(${JSON.stringify(system.url)});`,
      `const first = await Auth.login({ username: 'eve', password: ${JSON.stringify(GOOD_PASSWORD)} });`,
      `const again = await Auth.login({ checkonly: true });`,
      `await Auth.exit({ logout: true });`,
      `const after = await Auth.login({ checkonly: true }).then(() => 'in', (e) => e.code);`,
      `console.log(JSON.stringify({ first: first.user.username, again: again.user.username, after }));`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ first: 'eve', again: 'eve', after: 'not_logged_in' });
  });

  // Last: it moves the system's clock two hours on (and back).
  it("ends a login on an origin when the origin's token lifetime is over, while the session itself lives on", async () => {
    await admin('PUT', '/admin/apps/webapp/web-origins', { origins: [], tokenLifetimeHours: 1 }, 200);
    const context = await newContext();
    const page = await openApp(context);
    await clickLogin(page, { username: 'eve', password: GOOD_PASSWORD, subid: 'lifetime' });
    expect(await outcome(page)).toMatchObject({ ok: true });
    const [token] = Object.keys(await page.evaluate<Record<string, number>>('window.tokens'));
    const [, id, password] = /^gh1\.([0-9a-f-]{36})\.(.+)$/.exec(token)!;

    system.clock.advance(2 * 3600_000);
    try {
      await page.reload();
      await page.waitForFunction('window.ready === true');
      await clickLogin(page, { checkonly: true, subid: 'lifetime' });
      expect(await outcome(page)).toMatchObject({ ok: false, code: 'not_logged_in', errno: 2 });
      // The same session still mints where no origin is involved (a first-party client, a server).
      expect((await mintToken(system, { id, password })).status).toBe(200);
    } finally {
      system.clock.advance(-2 * 3600_000); // a retried test finds the clock where it was
    }
  });
});
