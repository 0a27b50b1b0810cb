import { NatsClient } from '@gatehouse/platform';
import type { Browser, WebSocket as PageSocket } from 'playwright-core';
import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { createUser } from '../auth/support';
import { startTestSystem, TestSystem } from '../support/system';
import { closeBrowser, ensureWebClientBuilt, launchChromium, openDevice, screenshot, signIn } from './support';
import { retryBrowserSteps } from '../support/retry';

/** Issue 15, finding 17: the server closes a socket when its access token ends; the client renews it first. */
retryBrowserSteps();

describe('web client: the live socket outlasts its access token', () => {
  let system: TestSystem;
  let browser: Browser;
  let ticking: NodeJS.Timeout;

  beforeAll(async () => {
    await ensureWebClientBuilt();
    // Tokens of 30 s, so the client renews after 10 s; the manual clock follows real time here.
    [system, browser] = await Promise.all([startTestSystem({ ACCESS_TOKEN_TTL_SECONDS: '30' }), launchChromium()]);
    ticking = setInterval(() => system.clock.advance(100), 100);
    await createUser(system, { username: 'rita' });
    await system.gateway
      .get(NatsClient, { strict: false })
      .send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: false });
  }, 180_000);
  afterAll(async () => {
    clearInterval(ticking);
    await closeBrowser(browser);
    await system?.stop();
  });

  it('sends a fresh token on the same socket before the old one ends, and is not closed', async () => {
    const { page } = await openDevice(browser, system);
    const sockets: { socket: PageSocket; sent: string[]; received: string[]; closed: boolean }[] = [];
    page.on('websocket', (socket) => {
      const entry = { socket, sent: [] as string[], received: [] as string[], closed: false };
      socket.on('framesent', (frame) => entry.sent.push(String(frame.payload)));
      socket.on('framereceived', (frame) => entry.received.push(String(frame.payload)));
      socket.on('close', () => (entry.closed = true));
      sockets.push(entry);
    });
    await signIn(page, 'rita');
    await page.getByRole('heading', { name: 'Home' }).waitFor();

    const auths = () => sockets[0]?.sent.filter((payload) => JSON.parse(payload).type === 'auth') ?? [];
    const readies = () => sockets[0]?.received.filter((payload) => JSON.parse(payload).type === 'ready') ?? [];
    const deadline = Date.now() + 25_000;
    while (readies().length < 2 && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 200));
    expect(auths()).toHaveLength(2);
    expect(new Set(auths()).size).toBe(2); // a new token, not the old one again
    expect(readies()).toHaveLength(2);

    // Past the first token's end: the same socket is still open, and no other was needed.
    system.clock.advance(22_000);
    await new Promise((wake) => setTimeout(wake, 2500));
    expect(sockets).toHaveLength(1);
    expect(sockets[0].closed).toBe(false);
    await screenshot(page, 'socket-renewal');
  }, 60_000);
});
