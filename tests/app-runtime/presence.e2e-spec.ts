import { NatsClient } from '@gatehouse/platform';
import type { Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { startContactsApp } from '../../examples/contacts/server';
import { appSocketAuth } from '../../examples/support/app-events-socket';
import type { ExampleAppServer } from '../../examples/support/app-server';
import { startPhoneApp } from '../../examples/phone/server';
import { adminApi, adminToken, GOOD_PASSWORD, me, tokenFor } from '../directory/support';
import { startTestSystem, TestSystem } from '../support/system';
import { closeBrowser, Device, launchChromium, openDevice, PHONE, screenshot, signIn, stored } from '../web/support';
import { appFrame, ensureClientAndSdkBuilt, frameText } from './support';
import { retryBrowserSteps } from '../support/retry';

/** The value `read` gives once `done` holds for it, or the last one after 10 s. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((wake) => setTimeout(wake, 100));
    value = await read();
  }
  return value;
}

/** Closes with the code Gatehouse gives a socket whose first message it refuses. */
function refusedWith(first: object, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/ws`);
    ws.on('open', () => ws.send(JSON.stringify(first)));
    ws.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'ready') reject(new Error('accepted'));
    });
    ws.on('close', (code) => resolve(code));
    ws.on('error', reject);
  });
}

// Sign-ins hash passwords at the lowest CPU priority: on a busy machine a test may wait long for one.
jest.setTimeout(120_000);

retryBrowserSteps();

describe('app runtime: presence across sessions and apps; app servers hear their users on a WebSocket', () => {
  let system: TestSystem;
  let browser: Browser;
  let contacts: ExampleAppServer;
  let phones: ExampleAppServer;
  let first: Device;
  let second: Device;

  beforeAll(async () => {
    await ensureClientAndSdkBuilt();
    [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
    const admin = adminApi(system, await adminToken(system));
    contacts = await startContactsApp({ gatehouseUrl: system.url, domain: 'example.com', secret: 'contacts-secret', host: '127.0.0.2' });
    await admin(
      'POST',
      '/admin/apps',
      { id: 'contacts', name: 'Contacts', url: `${contacts.url}/contacts`, secret: 'contacts-secret' },
      201,
    );
    // The phone app's server holds an app socket: the app object must carry the websocket flag first.
    await admin(
      'POST',
      '/admin/apps',
      { id: 'phone', name: 'Phone', url: 'http://127.0.0.3:1/phone', secret: 'phone-secret', apis: ['phone'], websocket: true },
      201,
    );
    await admin(
      'POST',
      '/admin/apps',
      { id: 'plainphone', name: 'Plain phone', url: 'http://127.0.0.3:1/plainphone', secret: 'plain-secret', apis: ['phone'] },
      201,
    );
    await admin('POST', '/admin/users', { username: 'cat', password: GOOD_PASSWORD, apps: ['contacts', 'phone'] }, 201);
    await admin('POST', '/admin/users', { username: 'dan', password: GOOD_PASSWORD, apps: ['contacts'] }, 201);
    phones = await startPhoneApp({
      gatehouseUrl: system.url,
      domain: 'example.com',
      host: '127.0.0.3',
      phones: { phone: { appId: 'phone', secret: 'phone-secret', websocket: true } },
    });
    await system.gateway
      .get(NatsClient, { strict: false })
      .send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: false });
  }, 180_000);
  afterAll(async () => {
    await closeBrowser(browser);
    await Promise.all([contacts?.close(), phones?.close()]);
    await system?.stop();
  }, 60_000);

  it('keeps the presence in directory and refuses what is not one', async () => {
    const token = await tokenFor(system, 'dan');
    expect((await me(system, token, 'GET', '/presence')).body).toEqual({ status: 'available' });
    expect((await me(system, token, 'PUT', '/presence', { status: 'away', note: ' Lunch ' })).body).toEqual({
      status: 'away',
      note: 'Lunch',
    });
    expect((await me(system, token, 'GET', '/presence')).body).toEqual({ status: 'away', note: 'Lunch' });
    const cases: Array<[object, string]> = [
      [{ status: 'invisible' }, 'validation_failed'],
      [{ status: 'busy', note: 'a\nb' }, 'validation_failed'],
      [{ status: 'busy', note: 'x'.repeat(201) }, 'validation_failed'],
      [{}, 'validation_failed'],
      [{ status: 'busy', extra: 1 }, 'unknown_field'],
    ];
    for (const [body, code] of cases) {
      const refused = await me(system, token, 'PUT', '/presence', body);
      expect([refused.status, refused.body.error.code]).toEqual([400, code]);
    }
    expect((await me(system, token, 'GET', '/presence')).body).toEqual({ status: 'away', note: 'Lunch' });
  });

  it('shows a presence set in one session in the other at once, and tells the apps open there', async () => {
    first = await openDevice(browser, system);
    second = await openDevice(browser, system, PHONE, 420);
    await Promise.all([signIn(first.page, 'cat'), signIn(second.page, 'cat')]);
    await Promise.all([
      first.page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 45_000 }),
      second.page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 45_000 }),
    ]);
    await second.page.evaluate("location.hash = '#/app/contacts'");
    const app = await appFrame(second.page, 'contacts');
    await frameText(app, '#login', 'logged in as cat@example.com');
    expect(await app.locator('#presence').textContent()).toBe('available');

    await first.page.getByLabel('Note').fill('In a meeting');
    await first.page.getByLabel('Presence').selectOption('busy');
    await frameText(app, '#presence', 'busy: In a meeting');
    expect(await second.page.getByLabel('Presence').inputValue()).toBe('busy');
    expect(await second.page.getByLabel('Note').inputValue()).toBe('In a meeting');
    await screenshot(second.page, 'app-runtime-6-presence');
    // A session that starts later reads it, and so does an app that connects later.
    await first.page.reload();
    await first.page.getByRole('heading', { name: 'Home' }).waitFor({ timeout: 45_000 });
    expect(
      await until(
        () => first.page.locator('#presence-status').inputValue(),
        (value) => value === 'busy',
      ),
    ).toBe('busy');
    await first.page.evaluate("location.hash = '#/app/contacts'");
    await frameText(await appFrame(first.page, 'contacts'), '#presence', 'busy: In a meeting');
  });

  it("lets an app server with the websocket flag hear its users' events, and a revoked session reaches it", async () => {
    // The example phone server's own socket is up and sees the presence change of its user.
    expect(
      await until(
        async () => phones.events.some(({ event }) => event.type === 'presence.changed' && event.user === 'cat@example.com'),
        Boolean,
      ),
    ).toBe(true);
    const sessionId = await stored(second.page, 'appclient-username');
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const token = await tokenFor(system, 'cat');
    expect((await me(system, token, 'DELETE', `/sessions/${sessionId}`)).status).toBeLessThan(300);
    const told = await until(
      async () => phones.events.find(({ event }) => event.type === 'session.revoked' && event.sessionId === sessionId)?.event,
      Boolean,
    );
    expect(told).toEqual({ type: 'session.revoked', user: 'cat@example.com', sessionId, reason: expect.any(String) });
    // The revoked device is back at the login screen; the app server was told by Gatehouse, not by the device.
    await second.page.getByLabel('Username or email').waitFor();
    // Only users who may run the app are told: dan's change never reaches the phone server.
    await me(system, await tokenFor(system, 'dan'), 'PUT', '/presence', { status: 'dnd' });
    await new Promise((wake) => setTimeout(wake, 500));
    expect(phones.events.filter(({ event }) => event.user === 'dan@example.com')).toEqual([]);
  });

  it('refuses app sockets with a wrong secret, a stale proof, or without the websocket flag', async () => {
    const url = system.url;
    const domain = 'example.com';
    expect(await refusedWith(appSocketAuth({ domain, appId: 'phone', secret: 'not-the-secret' }), url)).toBe(4401);
    expect(await refusedWith(appSocketAuth({ domain, appId: 'phone', secret: 'phone-secret' }, Date.now() - 10 * 60_000), url)).toBe(4401);
    expect(await refusedWith(appSocketAuth({ domain, appId: 'plainphone', secret: 'plain-secret' }), url)).toBe(4401);
    expect(await refusedWith(appSocketAuth({ domain, appId: 'nosuchapp', secret: 'x' }), url)).toBe(4401);
    expect(await refusedWith({ type: 'app', domain, appId: 'phone', timestamp: String(Date.now()), proof: 'zz' }, url)).toBe(4401);
  });
});
