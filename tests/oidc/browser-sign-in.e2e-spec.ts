import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as oidc from 'openid-client';
import { NatsClient } from '@gatehouse/platform';
import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { bearer, createUser, GOOD_PASSWORD, login } from '../auth/support';
import { adminApi, adminToken } from '../directory/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import { closeBrowser, launchChromium } from '../web/support';
import { authorizationRequest, grantApps, registerApp, relyingParty } from './support';
import { retryBrowserSteps } from '../support/retry';

const GRAFANA = 'https://grafana.example.net/login/generic_oauth';
const WIKI = 'https://wiki.example.net/cb';

retryBrowserSteps();

describe('signing in to apps in a real browser', () => {
  let system: TestSystem;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let grafana: oidc.Configuration;
  let wiki: oidc.Configuration;
  let approver: { accessToken: string };
  let aliceId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    const rootToken = await adminToken(system);
    const admin = adminApi(system, rootToken);
    const grafanaApp = await registerApp(admin, 'grafana', { redirectUris: [GRAFANA] });
    const wikiApp = await registerApp(admin, 'wiki', { redirectUris: [WIKI] });
    aliceId = (await createUser(system, { username: 'alice', email: 'alice@example.com' })).id;
    await grantApps(system, rootToken, aliceId, ['grafana', 'wiki']);
    approver = (await login(system, 'alice')).body; // her phone, signed in before two-factor was turned on
    await system.gateway
      .get(NatsClient, { strict: false })
      .send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: true });
    grafana = await relyingParty(system, grafanaApp.clientId, grafanaApp.secret);
    wiki = await relyingParty(system, wikiApp.clientId, wikiApp.secret);
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000); // a loaded machine (two cores, argon2, Chromium) starts the system slowly
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
  });

  // A device's poll runs until its test ends; a failed (retried) test must not leave one polling a stopped system.
  let polls: AbortController[] = [];
  afterEach(() => {
    for (const poll of polls) poll.abort();
    polls = [];
  });
  const pollDevice = (device: oidc.DeviceAuthorizationResponse) => {
    const poll = new AbortController();
    polls.push(poll);
    const polled = oidc.pollDeviceAuthorizationGrant(grafana, device, undefined, { signal: poll.signal });
    polled.catch(() => undefined); // awaited by the test; an aborted poll's rejection is not a failure
    return polled;
  };
  /** Opens the device page; the page may itself move on (submitting a prefilled code) before it has loaded. */
  const openDevicePage = async (url: string) => {
    await page.goto(url, { waitUntil: 'commit' }).catch((error: Error) => {
      if (!/interrupted by another navigation/.test(error.message)) throw error;
    });
  };

  /** The request the browser makes to the app's redirect URI (the apps' hosts exist only in the tests). */
  const appCallback = (redirectUri: string) => page.waitForRequest((r) => r.url().startsWith(redirectUri)).then((r) => new URL(r.url()));

  it('signs in with code + PKCE through the login page and two-factor approval from another device', async () => {
    const request = await authorizationRequest(grafana, GRAFANA, 'openid profile email');
    await page.goto(request.url.toString());
    await page.locator('input[name=username]').fill('alice');
    await page.locator('input[name=password]').fill(GOOD_PASSWORD);
    await page.locator('button[type=submit]').click();

    await page.locator('#pending').waitFor({ state: 'visible' });
    const shownCode = (await page.locator('#code').textContent())!;
    expect(shownCode).toMatch(/^\d{6}$/);
    const { approvals } = (await api(system, 'GET', '/api/v1/me/approvals', { headers: bearer(approver.accessToken) })).body;
    expect(approvals).toHaveLength(1);
    expect(approvals[0].securityCode).toBe(shownCode);
    const callback = appCallback(GRAFANA);
    await api(system, 'POST', `/api/v1/me/approvals/${approvals[0].pendingId}`, {
      body: { decision: 'accept' },
      headers: bearer(approver.accessToken),
    });

    const tokens = await oidc.authorizationCodeGrant(grafana, await callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()).toMatchObject({ sub: aliceId, email: 'alice@example.com', domain: 'example.com' });
  });

  it('signs in to a second app without any prompt: the browser keeps its permanent session', async () => {
    const request = await authorizationRequest(wiki, WIKI, 'openid profile');
    const callback = appCallback(WIKI);
    // The app's host does not resolve here: the navigation ends in an error page, its URL is what counts.
    await page.goto(request.url.toString()).catch(() => undefined);
    const tokens = await oidc.authorizationCodeGrant(wiki, await callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()?.sub).toBe(aliceId);
    // No second approval was asked of the phone.
    expect((await api(system, 'GET', '/api/v1/me/approvals', { headers: bearer(approver.accessToken) })).body.approvals).toHaveLength(0);
  });

  it('connects a device without a browser (RFC 8628): the user approves its code in the signed-in browser', async () => {
    const device = await oidc.initiateDeviceAuthorization(grafana, { scope: 'openid profile' });
    expect(device.verification_uri).toBe(`${system.url}/oidc/device`);
    const polled = pollDevice(device);

    await openDevicePage(device.verification_uri);
    await page.locator('input[name=user_code]').fill(device.user_code);
    await page.getByRole('button', { name: 'Continue' }).click();
    // The browser's own session signs it in; the approval shows the device's code, like a new-login approval.
    await expect(page.locator('.code').textContent()).resolves.toBe(device.user_code);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Device approved' }).waitFor();

    const tokens = await polled;
    expect(tokens.claims()).toMatchObject({ sub: aliceId, domain: 'example.com' });
    expect(tokens.refresh_token).toBeTruthy();
  }, 60_000);

  it('tells the device no when the user rejects its code', async () => {
    const device = await oidc.initiateDeviceAuthorization(grafana, { scope: 'openid' });
    const polled = pollDevice(device);
    await openDevicePage(device.verification_uri_complete!);
    // The prefilled code is either still on its form or already submitted: whichever comes first.
    const reject = page.getByRole('button', { name: 'Reject' });
    const proceed = page.getByRole('button', { name: 'Continue' });
    await reject.or(proceed).first().waitFor();
    if (await proceed.isVisible()) await proceed.click();
    await reject.click();
    await expect(polled).rejects.toMatchObject({ error: 'access_denied' });
  }, 60_000);
});
