import { NatsClient } from '@gatehouse/platform';
import type { Browser, Frame, Page } from 'playwright-core';
import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { startContactsApp } from '../../examples/contacts/server';
import type { ExampleAppServer } from '../../examples/support/app-server';
import { startPhoneApp } from '../../examples/phone/server';
import { adminApi, adminToken, GOOD_PASSWORD } from '../directory/support';
import { startTestSystem, TestSystem } from '../support/system';
import { closeBrowser, Device, launchChromium, openDevice, PHONE, screenshot, signIn, stored } from '../web/support';
import { appFrame, ensureClientAndSdkBuilt, frameText, startPlainServer } from './support';
import { retryBrowserSteps } from '../support/retry';

const wait = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
const open = (page: Page, appId: string) => page.evaluate(`location.hash = '#/app/${appId}'`);

/**
 * Apps inside the client (issue 18), with the apps on other origins than the client: the contacts
 * app on 127.0.0.2, the phone apps on 127.0.0.3, a plain website and a stranger's page on 127.0.0.4.
 */
// Sign-ins hash passwords at the lowest CPU priority: on a busy machine a test may wait long for one.
jest.setTimeout(120_000);

retryBrowserSteps();

describe('app runtime: apps in the client log in, talk to each other and to the home screen', () => {
  let system: TestSystem;
  let browser: Browser;
  let contacts: ExampleAppServer;
  let phones: ExampleAppServer;
  let plain: Awaited<ReturnType<typeof startPlainServer>>;
  let first: Device;
  let second: Device;

  beforeAll(async () => {
    await ensureClientAndSdkBuilt();
    [system, browser, plain] = await Promise.all([startTestSystem(), launchChromium(), startPlainServer('127.0.0.4')]);
    [contacts, phones] = await Promise.all([
      startContactsApp({ gatehouseUrl: system.url, domain: 'example.com', secret: 'contacts-secret', host: '127.0.0.2' }),
      startPhoneApp({
        gatehouseUrl: system.url,
        domain: 'example.com',
        host: '127.0.0.3',
        phones: { phone: { appId: 'phone', secret: 'phone-secret' }, softphone: { appId: 'softphone', secret: 'softphone-secret' } },
      }),
    ]);
    const admin = adminApi(system, await adminToken(system));
    await admin(
      'POST',
      '/admin/apps',
      { id: 'contacts', name: 'Contacts', url: `${contacts.url}/contacts`, secret: 'contacts-secret' },
      201,
    );
    await admin(
      'POST',
      '/admin/apps',
      { id: 'phone', name: 'Phone', url: `${phones.url}/phone`, secret: 'phone-secret', apis: ['phone'] },
      201,
    );
    // A hidden provider: never listed, loaded invisibly when a call needs it.
    await admin(
      'POST',
      '/admin/apps',
      { id: 'softphone', name: 'Softphone', url: `${phones.url}/softphone`, secret: 'softphone-secret', apis: ['phone'], hidden: true },
      201,
    );
    await admin('POST', '/admin/apps', { id: 'site', name: 'Site', url: `${plain.url}/plain`, plainWebsite: true }, 201);
    await admin(
      'POST',
      '/admin/users',
      { username: 'ann', displayName: 'Ann Example', password: GOOD_PASSWORD, apps: ['contacts', 'phone', 'softphone', 'site'] },
      201,
    );
    await admin('POST', '/admin/users', { username: 'ben', password: GOOD_PASSWORD, apps: ['contacts', 'phone'] }, 201);
    await admin(
      'PUT',
      `/admin/users/${(await admin('GET', '/admin/users?q=ann')).body.items[0].id}/homescreen`,
      { raw: 'contacts,phone,site' },
      200,
    );
    await system.gateway
      .get(NatsClient, { strict: false })
      .send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: false });
  }, 180_000);
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
    await Promise.all([contacts?.close(), phones?.close(), plain?.close()]);
  }, 60_000);

  const chooseScheme = async (page: Page, value: 'dark' | 'light') => {
    const scheme = page.getByLabel('Color scheme');
    for (let attempt = 1; ; attempt++) {
      if (!(await scheme.isVisible())) await page.getByText('Menu', { exact: true }).click();
      try {
        await scheme.selectOption(value, { timeout: 3000 });
        return void (await page.keyboard.press('Escape'));
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  };
  const tileBadge = (page: Page, appId: string) =>
    page.locator(`[data-testid="home-tile"][data-app="${appId}"] [data-testid="tile-badge"]`);

  it('serves the app library at /sdk/app.js to every origin, cacheable and versioned', async () => {
    const response = await fetch(`${system.url}/sdk/app.js`, { headers: { origin: contacts.url } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(response.headers.get('x-gatehouse-app-protocol')).toBe('app/1');
    const body = await response.text();
    expect(body).toContain('export');
    const etag = response.headers.get('etag')!;
    expect((await fetch(`${system.url}/sdk/app.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const pinned = await fetch(`${system.url}/sdk/app.v1.js`);
    expect(pinned.status).toBe(200);
    expect(await pinned.text()).toBe(body);
  });

  it("logs the user into an app on another origin: the app's server accepts what login(challenge) gave it and refuses a tampered one", async () => {
    first = await openDevice(browser, system);
    await signIn(first.page, 'ann');
    await first.page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 45_000 });
    await open(first.page, 'contacts');
    const app = await appFrame(first.page, 'contacts');
    expect(new URL(app.url()).origin).toBe(contacts.url);
    await frameText(app, '#login', 'logged in as ann@example.com');
    expect(await app.locator('#user').textContent()).toBe('Ann Example <ann@example.com>');
    expect(contacts.logins).toContainEqual({ app: 'contacts', user: 'ann@example.com' });

    // The same path by hand: a fresh challenge, Gatehouse's answer, then changed before it reaches the server.
    const attempt = (change: string) =>
      app.evaluate(`(async () => {
        const { body } = await example.post('challenge');
        const proof = await sdk.login(body.challenge);
        ${change}
        return (await example.post('login', proof)).status;
      })()`);
    expect(await attempt('')).toBe(200);
    expect(await attempt("proof.digest = (proof.digest[0] === '0' ? '1' : '0') + proof.digest.slice(1);")).toBe(401);
    expect(await attempt("proof.user = 'root@example.com';")).toBe(401);
    expect(await attempt("proof.challenge = proof.challenge + 'x';")).toBe(401);
    // A used challenge is spent, even with Gatehouse's genuine digest.
    expect(
      await app.evaluate(`(async () => {
        const { body } = await example.post('challenge');
        const proof = await sdk.login(body.challenge);
        await example.post('login', proof);
        return (await example.post('login', proof)).status;
      })()`),
    ).toBe(401);
    await screenshot(first.page, 'app-runtime-1-login');
  });

  it('tells every open app the color scheme at connect and on each change, hidden ones too', async () => {
    const contactsFrame = await appFrame(first.page, 'contacts');
    expect(await contactsFrame.locator('#scheme').textContent()).toBe('light');
    await open(first.page, 'phone');
    const phoneFrame = await appFrame(first.page, 'phone');
    await frameText(phoneFrame, '#scheme', 'light');
    await chooseScheme(first.page, 'dark');
    // The phone app is on screen; contacts runs on, hidden, and hears it too.
    await frameText(phoneFrame, '#scheme', 'dark');
    await frameText(contactsFrame, '#scheme', 'dark');
    expect(await first.page.locator('iframe[data-app="contacts"]').isHidden()).toBe(true);
    await screenshot(first.page, 'app-runtime-2-dark');
    // The language goes the same way (chosen by the select's id: its label changes with the language).
    await contactsFrame.evaluate("window.heard = []; sdk.on('language', (language) => window.heard.push(language))");
    const language = async (value: string) => {
      if (!(await first.page.locator('#setting-language').isVisible())) await first.page.locator('[data-key="menu"]').click();
      await first.page.locator('#setting-language').selectOption(value);
    };
    await language('de');
    await first.page.getByRole('link', { name: 'Alle Apps' }).waitFor();
    await language('en');
    await first.page.getByRole('link', { name: 'All apps' }).waitFor();
    await first.page.keyboard.press('Escape');
    for (let i = 0; i < 50 && (await contactsFrame.evaluate<number>('window.heard.length')) < 2; i++) await wait(100);
    expect(await contactsFrame.evaluate('window.heard')).toEqual(['de', 'en']);
  });

  it('ignores messages from other windows and origins on both sides', async () => {
    await first.page.evaluate("location.hash = '#/home'");
    await first.page.getByTestId('home-tile').first().waitFor();
    const contactsFrame = await appFrame(first.page, 'contacts');
    // A stranger's page inside the app, and a second window of the app's own origin inside it.
    await contactsFrame.evaluate(`(() => {
      for (const [id, src] of [['stranger', ${JSON.stringify(`${plain.url}/evil.htm`)}], ['twin', location.origin + '/contacts.png']]) {
        const frame = document.createElement('iframe');
        frame.id = id;
        frame.src = src;
        document.body.append(frame);
      }
    })()`);
    const nested = async (prefix: string) => {
      for (let i = 0; i < 100; i++) {
        const frame = contactsFrame.childFrames().find((child) => child.url().startsWith(prefix));
        if (frame) return frame;
        await wait(100);
      }
      throw new Error(`no frame ${prefix}`);
    };
    const stranger: Frame = await nested(plain.url);
    const twin: Frame = await nested(contacts.url);
    const post = (frame: Frame, target: string, message: object) =>
      frame.evaluate(`${target}.postMessage(${JSON.stringify(message)}, '*')`);
    // To the client: a badge from the stranger, from the app's twin window and from the client's own window.
    await post(stranger, 'top', { gatehouse: 'app/1', type: 'badge', id: 'a1', count: 41 });
    await post(twin, 'top', { gatehouse: 'app/1', type: 'badge', id: 'a2', count: 42 });
    await first.page.evaluate(`window.postMessage(${JSON.stringify({ gatehouse: 'app/1', type: 'badge', id: 'a3', count: 43 })}, '*')`);
    // To the app: a color scheme from the stranger, who is not the client.
    await post(stranger, 'parent', { gatehouse: 'app/1', type: 'colorScheme', scheme: 'light' });
    await wait(700);
    expect(await tileBadge(first.page, 'contacts').count()).toBe(0);
    expect(await contactsFrame.locator('#scheme').textContent()).toBe('dark');
    // The app itself is heard.
    await contactsFrame.evaluate('sdk.setBadge(3)');
    await tileBadge(first.page, 'contacts').filter({ hasText: '3' }).waitFor();
    await screenshot(first.page, 'app-runtime-3-badge');
  });

  it('sends a plain website nothing and does not hear it', async () => {
    await open(first.page, 'site');
    const site = await appFrame(first.page, 'site');
    await site.locator('h1').waitFor();
    await chooseScheme(first.page, 'light');
    await site.evaluate(
      `top.postMessage({ gatehouse: 'app/1', type: 'connect', id: 'p1' }, '*'); top.postMessage({ gatehouse: 'app/1', type: 'badge', id: 'p2', count: 5 }, '*')`,
    );
    await frameText(await appFrame(first.page, 'contacts'), '#scheme', 'light');
    await wait(500);
    expect(await site.evaluate('window.received.length')).toBe(0);
    await first.page.evaluate("location.hash = '#/home'");
    await first.page.getByTestId('home-tile').first().waitFor();
    expect(await tileBadge(first.page, 'site').count()).toBe(0);
  });

  it('calls the only provider straight away', async () => {
    const ben = await openDevice(browser, system);
    try {
      await signIn(ben.page, 'ben');
      await ben.page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 45_000 });
      await open(ben.page, 'contacts');
      const app = await appFrame(ben.page, 'contacts');
      await frameText(app, '#login', 'logged in as ben@example.com');
      await app.getByRole('button', { name: 'Call Alice Example' }).click();
      await frameText(app, '#result', JSON.stringify({ app: 'phone', dialing: '+49 30 1234567' }));
      expect(await ben.page.getByTestId('provider-chooser').count()).toBe(0);
      // The phone app was loaded out of sight to answer, and counts the call in its badge.
      expect(await ben.page.locator('iframe[data-app="phone"]').isHidden()).toBe(true);
      const phone = await appFrame(ben.page, 'phone');
      await frameText(phone, '#last', '+49 30 1234567 (from contacts)');
    } finally {
      await screenshot(ben.page, 'app-runtime-3b-one-provider');
      await ben.context.close();
    }
  });

  it('lets the user choose among several providers, remembers "always use" on this device only', async () => {
    await open(first.page, 'contacts');
    const app = await appFrame(first.page, 'contacts');
    await app.getByRole('button', { name: 'Call Alice Example' }).click();
    const chooser = first.page.getByTestId('provider-chooser');
    await chooser.waitFor();
    expect(await chooser.getByRole('button').allTextContents()).toEqual(expect.arrayContaining(['PPhone', 'SSoftphone']));
    await chooser.getByLabel('Always use this app').check();
    await screenshot(first.page, 'app-runtime-4-chooser');
    await chooser.locator('button[data-app="softphone"]').click();
    await frameText(app, '#result', JSON.stringify({ app: 'softphone', dialing: '+49 30 1234567' }));
    expect(JSON.parse((await stored(first.page, 'gatehouse-standard-apps'))!)).toEqual({ phone: 'softphone' });
    // The hidden softphone answered from an invisible frame.
    expect(await first.page.locator('iframe[data-app="softphone"]').isHidden()).toBe(true);
    await app.getByRole('button', { name: 'Call Bob Example' }).click();
    await frameText(app, '#result', JSON.stringify({ app: 'softphone', dialing: '+49 30 7654321' }));
    expect(await chooser.count()).toBe(0);

    // Another device of the same user has no standard app yet: asked again.
    second = await openDevice(browser, system, PHONE, 420);
    await signIn(second.page, 'ann');
    await second.page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 45_000 });
    await open(second.page, 'contacts');
    const other = await appFrame(second.page, 'contacts');
    await frameText(other, '#login', 'logged in as ann@example.com');
    await other.getByRole('button', { name: 'Call Bob Example' }).click();
    const otherChooser = second.page.getByTestId('provider-chooser');
    await otherChooser.waitFor();
    await otherChooser.locator('button[data-app="phone"]').click();
    await frameText(other, '#result', JSON.stringify({ app: 'phone', dialing: '+49 30 7654321' }));
    expect(await stored(second.page, 'gatehouse-standard-apps')).toBeNull();
    // Without "always use", the next call asks again.
    await other.getByRole('button', { name: 'Call Alice Example' }).click();
    await otherChooser.waitFor();
    await otherChooser.getByRole('button', { name: 'Cancel' }).click();
    await frameText(other, '#error', /^cancelled: /);
  });

  it("calls every provider with target 'all', and one by its id", async () => {
    const app = await appFrame(first.page, 'contacts');
    const all = (await app.evaluate(`sdk.call('phone', { number: '110' }, { target: 'all' })`)) as Array<{ app: string; result: unknown }>;
    expect(all.map((entry) => entry.app).sort()).toEqual(['phone', 'softphone']);
    for (const entry of all) expect(entry.result).toEqual({ app: entry.app, dialing: '110' });
    expect(await app.evaluate(`sdk.call('phone', { number: '112' }, { target: 'phone' })`)).toEqual({ app: 'phone', dialing: '112' });
    const refused = (target: string) =>
      app.evaluate(`sdk.call('phone', {}, { target: ${JSON.stringify(target)} }).then(() => 'called', (e) => e.code)`);
    expect(await refused('contacts')).toBe('no_provider');
    expect(await app.evaluate(`sdk.call('fax', {}, { target: 'all' }).then(() => 'called', (e) => e.code)`)).toBe('no_provider');
    // Only a registered provider may provide.
    expect(await app.evaluate(`sdk.provide('phone', () => 1).then(() => 'provided', (e) => e.code)`)).toBe('not_permitted');
  });

  it("shows and changes the standard apps in the menu, and a phone tile's context action makes it the standard phone app", async () => {
    const page = first.page;
    await page.getByText('Menu', { exact: true }).click();
    const standard = page.getByTestId('standard-apps').getByLabel('phone');
    expect(await standard.inputValue()).toBe('softphone');
    await standard.selectOption('');
    expect(JSON.parse((await stored(page, 'gatehouse-standard-apps'))!)).toEqual({});
    await page.keyboard.press('Escape');

    // Seed 000: a long press on a phone tile (the context menu) makes it the standard phone app.
    await page.evaluate("location.hash = '#/home'");
    const tile = page.locator('[data-testid="home-tile"][data-app="phone"]');
    await tile.click({ button: 'right' });
    await tile.getByRole('button', { name: 'Use as standard phone app' }).click();
    expect(JSON.parse((await stored(page, 'gatehouse-standard-apps'))!)).toEqual({ phone: 'phone' });
    await tile.getByText('Standard phone app').waitFor();
    await open(page, 'contacts');
    const app = await appFrame(page, 'contacts');
    await app.getByRole('button', { name: 'Call Alice Example' }).click();
    await frameText(app, '#result', JSON.stringify({ app: 'phone', dialing: '+49 30 1234567' }));
    expect(await page.getByTestId('provider-chooser').count()).toBe(0);
  });

  it("puts an item attached inside an app on the home screen of the user's other session", async () => {
    const app = await appFrame(first.page, 'contacts');
    await app.getByRole('button', { name: 'Attach Alice Example' }).click();
    await frameText(app, '#result', 'attached Alice Example');
    await second.page.evaluate("location.hash = '#/home'");
    const tile = second.page.getByTestId('home-tile').filter({ hasText: 'Alice Example' });
    await tile.waitFor();
    expect(await tile.getAttribute('data-app')).toBe('contacts');
    // The app shows the contact's presence on that tile (and only there).
    const other = await appFrame(second.page, 'contacts');
    await other.evaluate(`sdk.setItemPresence('busy', { query: 'id=alice' })`);
    await tile.locator('[data-testid="tile-presence"][data-status="busy"]').waitFor();
    expect(
      await second.page
        .locator('[data-testid="home-tile"][data-app="contacts"]')
        .filter({ hasNotText: 'Alice Example' })
        .locator('[data-testid="tile-presence"]')
        .count(),
    ).toBe(0);
    await tile.getByRole('link').click();
    await second.page.getByRole('heading', { name: 'Contacts' }).waitFor();
    const opened = await appFrame(second.page, 'contacts');
    // The frame navigates to the item's query after the tile's click: wait for it (a second at most here).
    const search = () => (/^https?:/.test(opened.url()) ? new URL(opened.url()).search : '');
    for (const deadline = Date.now() + 15_000; search() !== '?id=alice' && Date.now() < deadline;)
      await new Promise((wake) => setTimeout(wake, 100));
    expect(search()).toBe('?id=alice');
    await screenshot(second.page, 'app-runtime-5-attached');
  });
});
