import AxeBuilder from '@axe-core/playwright';
import { SmtpSink, waitFor } from '@gatehouse/testing';
import type { Browser, Page } from 'playwright-core';
import { configureMail, linkIn, mailTo } from '../approvals/support';
import { mintToken } from '../auth/support';
import { factory, FACTORY_PASSWORD } from '../support/factories';
import { startTestSystem, TestSystem } from '../support/system';
import { call, expectCall } from '../support/typed-api';
import { DESKTOP, Device, PHONE, closeBrowser, ensureWebClientBuilt, launchChromium, openDevice, screenshot, signIn } from './support';
import { retryBrowserSteps } from '../support/retry';

// A retried test makes users of its own (the factory names each one anew).
retryBrowserSteps();

const NEW_PASSWORD = 'quartz lantern mosaic harbour 71';

describe('web client: the account’s own settings in Account security', () => {
  let system: TestSystem;
  let sink: SmtpSink;
  let browser: Browser;
  let make: ReturnType<typeof factory>;
  const devices: Device[] = [];

  beforeAll(async () => {
    await ensureWebClientBuilt();
    sink = await SmtpSink.start();
    [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
    await configureMail(system, sink);
    make = factory(system);
  }, 180_000);
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.context.close().catch(() => undefined)));
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
    await sink?.stop();
  }, 60_000);

  const open = async (userAgent = DESKTOP, width = 1024) => {
    const device = await openDevice(browser, system, userAgent, width);
    devices.push(device);
    return device;
  };
  /** Signs in through the login form and opens Account security. */
  const signedInAt = async (username: string, password = FACTORY_PASSWORD, userAgent = DESKTOP, width = 1024) => {
    const device = await open(userAgent, width);
    await signIn(device.page, username, password);
    await device.page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await device.page.getByRole('link', { name: 'Account security' }).click();
    await device.page.getByRole('heading', { name: 'Account security', level: 1 }).waitFor();
    return device;
  };
  const me = async (username: string, password = FACTORY_PASSWORD) => {
    const { accessToken } = await make.signIn(username, password);
    return expectCall(200, system, 'GET /me', { headers: { authorization: `Bearer ${accessToken}` } });
  };
  // Counted through a locator: a string for waitForFunction is evaluated in the page, where the client's CSP
  // (no 'unsafe-eval') refused it once on a loaded machine.
  const sessionsShown = (page: Page, count: number) =>
    waitFor(async () => (await page.getByTestId('session').count()) === count, { timeoutMs: 30_000 });
  const seriousFindings = async (page: Page) => {
    const { violations } = await new AxeBuilder({ page } as never).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };

  it('changes the password: each error is said, then the new password signs in, the old one does not, and the other device is out', async () => {
    const user = await make.user();
    const other = await make.signIn(user.username);
    const { page } = await signedInAt(user.username);
    await page.getByRole('heading', { name: 'Change password', level: 2 }).waitFor();
    // Signed in a moment ago: the current password may be left out, and the page says so.
    await page.getByText('You signed in less than five minutes ago: the current password is not needed.').waitFor();

    await page.getByLabel('New password', { exact: true }).fill('short one');
    await page.getByLabel('New password again').fill('short two');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.getByTestId('password-message').textContent()).toBe('The two new passwords are not the same.');

    await page.getByLabel('New password again').fill('short one');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText(/^The new password is too short: it needs at least \d+ characters\.$/).waitFor();

    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The current password is wrong.').waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'The current password is wrong.' }).count()).toBe(1);

    await page.getByLabel('Current password').fill(FACTORY_PASSWORD);
    await page.getByLabel('Log out other devices').check();
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password was changed. Other devices logged out: 1.').waitFor();
    // The typed passwords are gone from the form; the list shows this device only.
    expect(await page.getByLabel('New password', { exact: true }).inputValue()).toBe('');
    await sessionsShown(page, 1);
    expect((await mintToken(system, other.session)).status).toBe(401);
    await screenshot(page, 'account-settings-1-password');

    // Where the user meets it: the login form of another browser.
    const { page: next } = await open(PHONE, 360);
    await signIn(next, user.username, FACTORY_PASSWORD);
    await next.getByText('Wrong username or password.').waitFor();
    await signIn(next, user.username, NEW_PASSWORD);
    await next.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  }, 120_000);

  it('logs out all other devices after a confirmation: the other browser is back at the login, the list shows this device', async () => {
    const user = await make.user();
    const phone = await open(PHONE, 360);
    await signIn(phone.page, user.username);
    await phone.page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    const api = await make.signIn(user.username);
    const { page } = await signedInAt(user.username);
    await sessionsShown(page, 3);

    await page.getByRole('button', { name: 'Log out all other devices' }).click();
    // Asked first, the confirming button has the focus; Cancel changes nothing.
    await page.getByText('Log out all other devices (2)?').waitFor();
    expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Log out the others');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('session').count()).toBe(3);

    await page.getByRole('button', { name: 'Log out all other devices' }).click();
    await page.getByRole('button', { name: 'Log out the others' }).click();
    await page.getByText('Other devices logged out: 2.').waitFor();
    await sessionsShown(page, 1);
    expect(await page.getByTestId('session').getAttribute('aria-current')).toBe('true');
    expect((await mintToken(system, api.session)).status).toBe(401);
    await phone.page.getByText('This device was logged out.').waitFor();
    await phone.page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await screenshot(page, 'account-settings-2-others');
  }, 120_000);

  it('saves the display name and the language: the menu greets by the new name, the client speaks the language', async () => {
    const user = await make.user();
    const { page } = await signedInAt(user.username);
    const name = `Petra ${user.username}`;
    await page.getByLabel('Display name').fill(name);
    await page.getByLabel('Language of the client and of your emails').selectOption('de');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await page.getByRole('heading', { name: 'Kontosicherheit', level: 1 }).waitFor();
    await page.getByText('Ihr Profil wurde gespeichert.').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await page.locator('[data-key="menu"]').click();
    await page.getByText(`Angemeldet als ${name}`).waitFor();
    const profile = await me(user.username);
    expect([profile.displayName, profile.language]).toEqual([name, 'de']);
  }, 120_000);

  it('changes the email once the mailed link is confirmed on its page, never on opening it', async () => {
    const [old, taken] = ['old', 'holder'].map((what) => `${what}.${Date.now().toString(36)}@example.com`);
    const user = await make.user({ email: old });
    await make.user({ email: taken });
    const fresh = `${user.username}.new@example.org`;
    const { page } = await signedInAt(user.username);
    await page.getByText(`Current address: ${old}`).waitFor();

    await page.getByLabel('New email address').fill(taken);
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.getByText('Another user has this address.').waitFor();

    await page.getByLabel('New email address').fill(fresh);
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.getByText(`A confirmation link was mailed to ${fresh}.`, { exact: false }).waitFor();

    const link = linkIn((await mailTo(sink, fresh, '/account/email/')).text, '/account/email');
    const token = decodeURIComponent(link.slice(link.lastIndexOf('/') + 1));
    // The link opened on a signed-out phone: the page changes nothing until Confirm is pressed.
    const phone = await open(PHONE, 360);
    await phone.page.goto(`${system.url}/#/account/email/${token}`);
    await phone.page.reload();
    await phone.page.getByRole('heading', { name: 'Confirm your new email address', level: 1 }).waitFor();
    expect((await me(user.username)).email).toBe(old);
    await phone.page.getByRole('button', { name: 'Confirm' }).click();
    await phone.page.getByText(`Your email address is now ${fresh}.`).waitFor();
    expect((await me(user.username)).email).toBe(fresh);
    await screenshot(phone.page, 'account-settings-3-email-confirmed');

    // The signed-in client: Account security shows the new address; the used link says it is used.
    await page.goto(`${system.url}/#/home`);
    await page.getByRole('link', { name: 'Account security' }).click();
    await page.getByText(`Current address: ${fresh}`).waitFor();
    await page.goto(`${system.url}/#/account/email/${token}`);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('This link is not valid: it was used, replaced by a newer one, or it has expired.').waitFor();
  }, 120_000);

  it('lets an external user keep the account after logout, and shows no password or email there', async () => {
    const admin = await make.admin();
    const { user } = await expectCall(201, system, 'POST /admin/external-users', {
      body: {},
      headers: { authorization: `Bearer ${admin}` },
    });
    const login = await make.signIn(user.username, 'anything');
    const { page } = await open();
    // The session of an API login, kept where the client keeps its own (seed 000's keys).
    await page.evaluate(
      `localStorage.setItem('appclient-username', ${JSON.stringify(login.session.id)}); localStorage.setItem('appclient-password', ${JSON.stringify(login.session.password)})`,
    );
    await page.goto(`${system.url}/#/security`);
    await page.reload();
    const box = page.getByLabel('Delete my account when I log out');
    await box.waitFor();
    expect(await box.isChecked()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Change password' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Email address' }).count()).toBe(0);

    await box.uncheck();
    await page.getByText('Saved.').waitFor();
    const auth = { headers: { authorization: `Bearer ${login.accessToken}` } };
    expect(await expectCall(200, system, 'GET /me/autodelete', auth)).toEqual({ autodelete: false });
    await page.reload();
    await page.getByLabel('Delete my account when I log out').waitFor();
    expect(await page.getByLabel('Delete my account when I log out').isChecked()).toBe(false);
    const refused = await call(system, 'POST /me/email', { body: { email: 'guest@example.org' }, ...auth });
    expect(refused.status).toBe(422);
  }, 120_000);

  it('axe-core finds no serious or critical issue on the settings and the link page, light and wide or dark and 360 px', async () => {
    const user = await make.user({ email: `${Date.now().toString(36)}.axe@example.com` });
    const findings: string[] = [];
    for (const [width, scheme] of [
      [1024, 'light'],
      [360, 'dark'],
    ] as const) {
      const { page, context } = await open(width === 360 ? PHONE : DESKTOP, width);
      await page.emulateMedia({ colorScheme: scheme });
      await page.reload();
      await signIn(page, user.username);
      await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
      await page.goto(`${system.url}/#/security`);
      await page.getByRole('heading', { name: 'Change password', level: 2 }).waitFor();
      // Messages and the confirmation drawn too: an error, a success, the question.
      await page.getByLabel('New password', { exact: true }).fill('a');
      await page.getByLabel('New password again').fill('b');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Your profile was saved.').waitFor();
      await page.getByRole('button', { name: 'Log out all other devices' }).click();
      await page.getByRole('button', { name: 'Log out the others' }).waitFor();
      findings.push(...(await seriousFindings(page)).map((finding) => `${scheme} security: ${finding}`));
      if (width === 360) {
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
        await screenshot(page, 'account-settings-dark-360');
      }
      // The link page, signed out (a fresh context) and with a link that is no longer valid.
      const signedOut = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, locale: 'en-US' });
      const linkPage = await signedOut.newPage();
      await linkPage.goto(`${system.url}/#/account/email/${'x'.repeat(43)}`);
      await linkPage.getByRole('button', { name: 'Confirm' }).waitFor();
      findings.push(...(await seriousFindings(linkPage)).map((finding) => `${scheme} link page: ${finding}`));
      await linkPage.getByRole('button', { name: 'Confirm' }).click();
      await linkPage.getByText('This link is not valid', { exact: false }).waitFor();
      findings.push(...(await seriousFindings(linkPage)).map((finding) => `${scheme} link page, answered: ${finding}`));
      await signedOut.close();
      await context.close();
    }
    expect(findings).toEqual([]);
  }, 180_000);
});
