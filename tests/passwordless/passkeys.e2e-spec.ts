import { NatsClient } from '@gatehouse/platform';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { createUser, login } from '../auth/support';
import { adminApi, adminToken } from '../directory/support';
import { api, type TestSystem } from '../support/system';
import { DESKTOP, PHONE, closeBrowser, ensureWebClientBuilt, launchChromium, screenshot, signIn } from '../web/support';
import { addVirtualAuthenticator, credentialsOf, startPasskeySystem, VirtualAuthenticator } from './support';
import { retryBrowserSteps } from '../support/retry';

interface Device {
  context: BrowserContext;
  page: Page;
}

retryBrowserSteps();

describe('passkeys (WebAuthn) in the web client, with Chromium virtual authenticators', () => {
  let system: TestSystem;
  let origin: string;
  let port: number;
  let browser: Browser;
  let nats: NatsClient;
  let admin: ReturnType<typeof adminApi>;
  let aliceId: string;
  let laptop: Device;
  let laptopKey: VirtualAuthenticator;

  const settings = (change: Record<string, unknown>) =>
    nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, ...change });
  const open = async (url = origin, userAgent = DESKTOP): Promise<Device> => {
    const context = await browser.newContext({ userAgent, viewport: { width: 1024, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(url);
    return { context, page };
  };
  /** Signed in: the shell with its menu shows (on whatever view the address names). */
  const home = (page: Page) => page.locator('[data-key="menu"]').waitFor();
  /** With a passkey in the authenticator, the login screen's autofill (conditional UI) may sign in again at once. */
  const logOut = async (page: Page) => {
    await page.getByText('Menu', { exact: true }).click();
    await page.locator('[data-key="menu-logout"]').click();
    await page.waitForResponse((r) => r.url().endsWith('/api/v1/me/sessions/current'));
  };
  /** Logs out and waits for the login screen's autofill to answer with the passkey; its status. */
  const logOutThenAutofill = async (page: Page) => {
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/passkey/login'));
    await logOut(page);
    return (await answered).status();
  };
  /** Takes the passkey out of the authenticator while `during` runs, so autofill has nothing to offer. */
  const withoutPasskey = async (key: VirtualAuthenticator, during: () => Promise<void>) => {
    const [credential] = await credentialsOf(key);
    await key.cdp.send('WebAuthn.removeCredential', { authenticatorId: key.authenticatorId, credentialId: credential!.credentialId });
    try {
      await during();
    } finally {
      await key.cdp.send('WebAuthn.addCredential', { authenticatorId: key.authenticatorId, credential: credential! });
    }
  };
  const passkeysOfAlice = async () =>
    (await admin('GET', `/admin/users/${aliceId}/passkeys`, undefined, 200)).body.passkeys as Array<{
      id: string;
      name: string;
      lastUsedAt: string | null;
    }>;

  beforeAll(async () => {
    await ensureWebClientBuilt();
    // A second origin under the same RP ID: lets the wrong-RP-ID test get past the origin check.
    [{ system, origin, port }, browser] = await Promise.all([startPasskeySystem((p) => [`http://other.localhost:${p}`]), launchChromium()]);
    nats = system.gateway.get(NatsClient, { strict: false });
    admin = adminApi(system, await adminToken(system));
    aliceId = (await createUser(system, { username: 'alice' })).id;
    laptop = await open();
    laptopKey = await addVirtualAuthenticator(laptop.context, laptop.page);
  }, 180_000);
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
  }, 60_000);

  it('registers a named passkey in Account security, listed with when it was added and last used', async () => {
    await signIn(laptop.page, 'alice');
    await home(laptop.page);
    await laptop.page.goto(`${origin}/#/security`);
    await laptop.page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await laptop.page.getByText('No passkeys yet.').waitFor();
    await laptop.page.getByLabel('Name of the new passkey').fill('Work laptop');
    await laptop.page.getByRole('button', { name: 'Add a passkey' }).click();
    const item = laptop.page.getByTestId('passkey');
    await item.getByText('Work laptop').waitFor();
    expect(await item.getByText('Never used').count()).toBe(1);
    await screenshot(laptop.page, 'passwordless-passkey-registered');

    const [credential] = await credentialsOf(laptopKey);
    expect(credential).toMatchObject({ rpId: 'localhost', isResidentCredential: true });
    expect(await passkeysOfAlice()).toEqual([expect.objectContaining({ name: 'Work laptop', lastUsedAt: null })]);
  });

  it("signs in through the username field's autofill (conditional UI, discoverable credential) with no click, and records the use", async () => {
    const requests: string[] = [];
    let loginBody: string | null = null;
    laptop.page.on('request', (request) => {
      requests.push(`${request.method()} ${new URL(request.url()).pathname}`);
      if (request.url().endsWith('/auth/passkey/login')) loginBody = request.postData();
    });
    try {
      // Nothing is clicked: the login screen's conditional request is answered from the field's suggestions.
      expect(await logOutThenAutofill(laptop.page)).toBe(200);
      await home(laptop.page);
      expect(requests).toEqual(
        expect.arrayContaining([
          'DELETE /api/v1/me/sessions/current',
          'POST /api/v1/auth/passkey/options',
          'POST /api/v1/auth/passkey/login',
        ]),
      );
      expect(requests).not.toContain('POST /api/v1/auth/login');
      expect(await laptop.page.locator('#login-username').count()).toBe(0);
    } finally {
      laptop.page.removeAllListeners('request');
    }
    expect((await passkeysOfAlice())[0]?.lastUsedAt).not.toBeNull();
    // The challenge was single use: the same answer sent again is refused.
    const replay = await api(system, 'POST', '/api/v1/auth/passkey/login', { body: JSON.parse(loginBody!) });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toMatchObject({ code: 'passkey_invalid', details: { reason: 'unknown or used challenge' } });
  });

  it('signs in with the "Sign in with a passkey" button', async () => {
    await withoutPasskey(laptopKey, async () => {
      // Listened for before logging out: the login screen may ask for the options at once.
      const options = laptop.page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/passkey/options'));
      await logOut(laptop.page);
      await laptop.page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await options;
      expect(await laptop.page.locator('#login-username').getAttribute('autocomplete')).toBe('username webauthn');
    });
    await laptop.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await home(laptop.page);
  });

  it('skips approval for a passkey sign-in with user verification when the policy counts it as two factors, and waits otherwise', async () => {
    // Another signed-in device of alice's can approve: the new sign-in then waits for it.
    expect((await login(system, 'alice')).status).toBe(200);
    await settings({ twoFactor: true, passkeyCountsAsTwoFactor: false });
    try {
      expect(await logOutThenAutofill(laptop.page)).toBe(202);
      await laptop.page.getByRole('heading', { name: 'Confirm this sign-in' }).waitFor();

      await settings({ passkeyCountsAsTwoFactor: true });
      await laptop.page.getByRole('button', { name: 'Cancel' }).click();
      await home(laptop.page);
    } finally {
      await settings({ twoFactor: false, passkeyCountsAsTwoFactor: true });
    }
  });

  it('accepts a new device only with a passkey and user verification when the policy asks for it', async () => {
    await settings({ twoFactor: true, approvalRequiresPasskey: true });
    const phone = await open(origin, PHONE);
    try {
      const answers: Array<{ path: string; status: number }> = [];
      laptop.page.on('response', (response) => answers.push({ path: new URL(response.url()).pathname, status: response.status() }));
      await signIn(phone.page, 'alice');
      await phone.page.getByRole('heading', { name: 'Confirm this sign-in' }).waitFor();

      // The authenticator cannot verify the user (no PIN, no biometrics): a tap is not enough.
      await laptopKey.cdp.send('WebAuthn.setUserVerified', { authenticatorId: laptopKey.authenticatorId, isUserVerified: false });
      const dialog = laptop.page.getByTestId('approval-dialog');
      await dialog.getByRole('button', { name: 'Accept' }).click();
      await dialog.getByRole('alert').waitFor();
      await expect(phone.page.getByRole('heading', { name: 'Confirm this sign-in' }).isVisible()).resolves.toBe(true);

      await laptopKey.cdp.send('WebAuthn.setUserVerified', { authenticatorId: laptopKey.authenticatorId, isUserVerified: true });
      await dialog.getByRole('button', { name: 'Accept' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await home(phone.page);
      // The plain accept was refused with passkey_required, the passkey accept went through.
      expect(answers.filter((a) => /\/me\/approvals\/[0-9a-f-]+$/.test(a.path)).map((a) => a.status)).toEqual([403, 403]);
      expect(answers.filter((a) => a.path.endsWith('/passkey')).map((a) => a.status)).toContain(200);
      await screenshot(phone.page, 'passwordless-approved-with-passkey');
    } finally {
      laptop.page.removeAllListeners('response');
      await settings({ twoFactor: false, approvalRequiresPasskey: false });
      await phone.context.close();
    }
  });

  it('refuses an answer signed for another RP ID, even from an allowed origin', async () => {
    const other = await open(`http://other.localhost:${port}/`);
    try {
      const otherKey = await addVirtualAuthenticator(other.context, other.page);
      const [credential] = await credentialsOf(laptopKey);
      // The same key pair, registered under the RP ID "other.localhost": the signature holds, the RP ID does not.
      await otherKey.cdp.send('WebAuthn.addCredential', {
        authenticatorId: otherKey.authenticatorId,
        credential: { ...credential!, rpId: 'other.localhost', signCount: credential!.signCount + 100 },
      });
      const answer = await other.page.evaluate(`(async () => {
        const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
        const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
        const { flowId, options } = await (await fetch('/api/v1/auth/passkey/options', { method: 'POST' })).json();
        const got = await navigator.credentials.get({ publicKey: { challenge: unb64(options.challenge), rpId: 'other.localhost', userVerification: 'preferred' } });
        const response = { id: got.id, rawId: b64(got.rawId), type: 'public-key', clientExtensionResults: {}, response: {
          clientDataJSON: b64(got.response.clientDataJSON), authenticatorData: b64(got.response.authenticatorData),
          signature: b64(got.response.signature), userHandle: got.response.userHandle ? b64(got.response.userHandle) : undefined } };
        const res = await fetch('/api/v1/auth/passkey/login', { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ flowId, response, device: { name: 'Other', platform: 'web' } }) });
        return { status: res.status, body: await res.json() };
      })()`);
      expect(answer).toMatchObject({ status: 401, body: { error: { code: 'passkey_invalid' } } });
      expect(JSON.stringify(answer)).toMatch(/RP ID/i);
    } finally {
      await other.context.close();
    }
  });

  it('refuses and audits a cloned authenticator (its signature counter goes backwards)', async () => {
    const [original] = await credentialsOf(laptopKey);
    // The original signs in once more: the server's counter moves past the copy's.
    expect(await logOutThenAutofill(laptop.page)).toBe(200);
    await home(laptop.page);

    const thief = await open();
    try {
      await thief.page.getByRole('heading', { name: 'Sign in' }).waitFor();
      const copy = await addVirtualAuthenticator(thief.context, thief.page);
      await copy.cdp.send('WebAuthn.addCredential', { authenticatorId: copy.authenticatorId, credential: original! });
      // The login screen's autofill (conditional UI) may offer the copy as soon as it is in the
      // authenticator; a click then would start a second ceremony. Only when it has not, the button asks.
      const copied = thief.page.getByText('its authenticator may have been copied');
      const byAutofill = await copied.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      );
      if (!byAutofill) await thief.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await copied.waitFor();
      await expect(thief.page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
      await screenshot(thief.page, 'passwordless-cloned-refused');
      const audit = await admin('GET', '/admin/audit?type=passkey&outcome=cloned', undefined, 200);
      expect(audit.body.items.length).toBeGreaterThanOrEqual(1);
      expect(audit.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            userId: aliceId,
            details: expect.objectContaining({ storedCounter: expect.any(Number), presentedCounter: expect.any(Number) }),
          }),
        ]),
      );
    } finally {
      await thief.context.close();
    }
  });

  it("lets an administrator see and remove a user's passkeys; a removed passkey signs nobody in", async () => {
    const [passkey] = await passkeysOfAlice();
    await admin('DELETE', `/admin/users/${aliceId}/passkeys/${passkey!.id}`, undefined, 200);
    expect(await passkeysOfAlice()).toEqual([]);
    // The login screen's autofill offers the passkey; the server no longer knows it.
    expect(await logOutThenAutofill(laptop.page)).toBe(401);
    await laptop.page.getByText('The passkey was not accepted.').waitFor();
    await expect(laptop.page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
  });

  it('throttles failed passkey answers like wrong passwords (429 with Retry-After)', async () => {
    const bogus = (flowId: string) => ({
      flowId,
      device: { name: 'Script', platform: 'web' },
      response: {
        id: 'bm8tc3VjaC1wYXNza2V5',
        rawId: 'bm8tc3VjaC1wYXNza2V5',
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' },
      },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { body } = await api(system, 'POST', '/api/v1/auth/passkey/options');
      const answer = await api(system, 'POST', '/api/v1/auth/passkey/login', { body: bogus(body.flowId) });
      statuses.push(answer.status);
      if (answer.status === 429) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // THROTTLE_LOGIN_FREE_ATTEMPTS (5) failures of this address, counting the removed passkey's above, then waits.
    const firstWait = statuses.indexOf(429);
    expect(firstWait).toBeGreaterThanOrEqual(3);
    expect(statuses.slice(0, firstWait).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(firstWait).every((status) => status === 429)).toBe(true);
  });
});
