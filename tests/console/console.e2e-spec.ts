import AxeBuilder from '@axe-core/playwright';
import { NatsClient } from '@gatehouse/platform';
import { SmtpSink } from '@gatehouse/testing';
import type { Browser, Page } from 'playwright-core';
import { MailerSubjects, AuthSettingsSubjects, DirectorySubjects, AuthSubjects } from '@gatehouse/contracts';
import { bearer, createUser, DEVICE, GOOD_PASSWORD, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import {
  closeBrowser,
  Device,
  ensureWebClientBuilt,
  launchChromium,
  openDevice,
  PHONE,
  screenshot,
  signIn,
  startAppServer,
} from '../web/support';
import { retryBrowserSteps } from '../support/retry';

const SYSTEM = { kind: 'system', service: 'test' } as const;
const TENANT = 'tenant.example';
const PAGES = [
  ['users', 'Users'],
  ['external', 'External users'],
  ['templates', 'Templates'],
  ['apps', 'Apps'],
  ['myapps', 'myApps'],
  ['authentication', 'Authentication'],
  ['email', 'Email'],
  ['audit', 'Audit log'],
  ['webhooks', 'Webhooks'],
] as const;

retryBrowserSteps();

describe('admin console (#/admin): each page does its main task, by role, accessibly', () => {
  let system: TestSystem;
  let browser: Browser;
  let sink: SmtpSink;
  let apps: { url: string; close(): Promise<void> };
  let nats: NatsClient;
  let admin: Device;

  const openPage = async (page: Page, id: string, heading: string) => {
    await page.evaluate(`location.hash = '#/admin/${id}'`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    // The page's data has loaded (aria-busy is set while it loads).
    await page.locator('#admin-main:not([aria-busy])').waitFor();
  };
  const seriousFindings = async (page: Page) => {
    const { violations } = await new AxeBuilder({ page } as never).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };

  beforeAll(async () => {
    await ensureWebClientBuilt();
    sink = await SmtpSink.start({ auth: { username: 'mailer', password: 'right-password' } });
    apps = await startAppServer();
    [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'root', admin: true, email: 'root@example.com' });
    await nats.send(MailerSubjects.configSet, {
      actor: SYSTEM,
      config: sink.mailerConfig({ verificationLink: `${system.url}/api/v1`, username: 'mailer', password: 'wrong-password' }),
    });
    admin = await openDevice(browser, system);
    await signIn(admin.page, 'root');
    await admin.page.getByRole('heading', { name: 'Home' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
    await sink?.stop();
    await apps?.close();
  }, 60_000);

  it('Authentication: switching two-factor on makes a new login wait for approval', async () => {
    await createUser(system, { username: 'alice' });
    expect((await login(system, 'alice')).status).toBe(200);
    await openPage(admin.page, 'authentication', 'Authentication');
    const twoFactor = admin.page.getByLabel('Two-factor approval of new logins');
    expect(await twoFactor.isChecked()).toBe(false);
    await twoFactor.check();
    try {
      await admin.page.locator('form[data-form="auth"]').getByRole('button', { name: 'Save' }).click();
      await admin.page.locator('form[data-form="auth"]').getByText('Saved.').waitFor();
      await screenshot(admin.page, 'console-authentication');
      const next = await login(system, 'alice');
      expect(next.status).toBe(202);
      expect(next.body.status).toBe('pending');
    } finally {
      await nats.send(AuthSettingsSubjects.set, { actor: SYSTEM, twoFactor: false });
    }
  });

  it('Authentication: an OAuth2 issuer the server refuses is named beside the Issuer field', async () => {
    await openPage(admin.page, 'authentication', 'Authentication');
    const oidc = admin.page.locator('form[data-form="oidc"]');
    await oidc.getByLabel('Issuer URL').fill('not a url');
    await oidc.getByRole('button', { name: 'Save' }).click();
    const issuerError = oidc.locator('.field', { has: admin.page.getByLabel('Issuer URL') }).locator('.field-error');
    await issuerError.getByText(/This value is not valid\. \(validation_failed/).waitFor();
    expect(await oidc.getByLabel('Issuer URL').getAttribute('aria-invalid')).toBe('true');
    await screenshot(admin.page, 'console-authentication-oidc-error');
  });

  let attempts = 0;
  it("Users: a user made with a template sees the template's app in All apps", async () => {
    // Names of their own per attempt: a retried attempt (retryBrowserSteps) must not meet the first one's app, template and user.
    const n = ++attempts;
    const root = bearer((await login(system, 'root')).body.accessToken);
    expect(
      (await api(system, 'POST', '/api/v1/admin/apps', { headers: root, body: { id: `crm${n}`, name: 'CRM', url: `${apps.url}/crm` } }))
        .status,
    ).toBe(201);
    expect(
      (await api(system, 'POST', '/api/v1/admin/templates', { headers: root, body: { name: `sales${n}`, apps: [`crm${n}`] } })).status,
    ).toBe(201);
    await openPage(admin.page, 'users', 'Users');
    await admin.page.getByRole('button', { name: 'New user' }).click();
    const create = admin.page.locator('form[data-form="user-create"]');
    await create.getByLabel('User name').fill(`sam${n}`);
    await create.getByLabel('Display name').fill('Sam Sales');
    await create.getByLabel('Password').fill(GOOD_PASSWORD);
    await create.getByLabel('Templates (comma-separated)').fill(`sales${n}`);
    await create.getByRole('button', { name: 'Create' }).click();
    await admin.page.getByRole('heading', { name: `sam${n}@example.com` }).waitFor();
    await screenshot(admin.page, 'console-users-created');

    const sam = await openDevice(browser, system);
    await signIn(sam.page, `sam${n}`);
    await sam.page.getByRole('heading', { name: 'Home' }).waitFor();
    await sam.page.evaluate("location.hash = '#/apps'");
    await sam.page.getByText('CRM').first().waitFor();
    await screenshot(sam.page, 'console-users-sam-all-apps');
    await sam.context.close();
  });

  it('Users: a server error code shows as a readable message by its field', async () => {
    await openPage(admin.page, 'users', 'Users');
    await admin.page.getByRole('button', { name: 'New user' }).click();
    const create = admin.page.locator('form[data-form="user-create"]');
    await create.getByLabel('User name').fill('root'); // the installation admin: a name that is always taken
    await create.getByRole('button', { name: 'Create' }).click();
    await create.getByText(/This name is taken\. \(user_exists/).waitFor();
    await create.getByLabel('Email').fill('not-an-address');
    await create.getByLabel('User name').fill('sam2');
    await create.getByRole('button', { name: 'Create' }).click();
    const emailError = create.locator('.field', { has: admin.page.getByLabel('Email') }).locator('.field-error');
    await emailError.getByText(/This value is not valid/).waitFor();
    expect(await create.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
  });

  let bobs = 0;
  it("Users: logging out a user's session from the console sends that device back to the login screen", async () => {
    // A user of its own per attempt: a retried attempt (retryBrowserSteps) must not meet the first one's user.
    const name = `bob${++bobs}`;
    await createUser(system, { username: name });
    const bob = await openDevice(browser, system, PHONE, 360);
    await signIn(bob.page, name);
    await bob.page.getByRole('heading', { name: 'Home' }).waitFor();
    await openPage(admin.page, 'users', 'Users');
    await admin.page.getByRole('searchbox').fill(name);
    await admin.page.getByRole('button', { name: 'Search', exact: true }).click();
    await admin.page.getByRole('button', { name: `Edit ${name}` }).click();
    await admin.page.getByRole('heading', { name: `${name}@example.com` }).waitFor();
    await admin.page.getByRole('button', { name: /^Log out session on / }).click();
    await bob.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(bob.page, 'console-users-session-revoked');
    await bob.context.close();
  });

  it('Email: the Test button shows the SMTP server refusing a wrong password', async () => {
    await openPage(admin.page, 'email', 'Email');
    expect(await admin.page.getByLabel('SMTP server').inputValue()).toBe('127.0.0.1');
    const test = admin.page.locator('form[data-form="email-test"]');
    await test.getByLabel('Send a test mail to').fill('root@example.com');
    await test.getByRole('button', { name: 'Send test mail' }).click();
    await test.getByText(/The test mail failed: authentication/).waitFor();
    await screenshot(admin.page, 'console-email-test-refused');
  });

  it("Webhooks: a new endpoint's secret is shown once; Audit: the change is in the log and exports as CSV", async () => {
    await openPage(admin.page, 'webhooks', 'Webhooks');
    await admin.page.getByRole('button', { name: 'New webhook' }).click();
    await admin.page.locator('form[data-form="webhook"]').getByLabel('URL').fill(`${apps.url}/hook`);
    await admin.page.locator('form[data-form="webhook"]').getByRole('button', { name: 'Create' }).click();
    await admin.page.getByText(/shown only once: whsec_/).waitFor();
    await screenshot(admin.page, 'console-webhooks');

    await openPage(admin.page, 'audit', 'Audit log');
    const filter = admin.page.locator('form[data-form="audit-filter"]');
    await filter.getByLabel('Type').selectOption('admin.change');
    await filter.getByRole('button', { name: 'Apply' }).click();
    await admin.page
      .getByRole('cell', { name: /POST \/admin\/webhooks/ })
      .first()
      .waitFor();
    const [download] = await Promise.all([
      admin.page.waitForEvent('download'),
      admin.page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv as Buffer[]).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('at,type,outcome,domain,userId,login,ip,details');
    expect(text).toContain('POST /admin/webhooks');
    expect(text).not.toMatch(/whsec_/);
    await screenshot(admin.page, 'console-audit');
  });

  it("a domain administrator's console offers no installation-wide settings, and the API refuses them", async () => {
    const { user } = await nats.send(DirectorySubjects.userCreate, { domain: TENANT, username: 'dora', admin: true });
    await nats.send(AuthSubjects.passwordSet, { userId: user.id, password: GOOD_PASSWORD });
    const dora = await openDevice(browser, system);
    await signIn(dora.page, `dora@${TENANT}`);
    await dora.page.getByRole('heading', { name: 'Home' }).waitFor();
    await openPage(dora.page, 'users', 'Users');
    await dora.page.getByText(`Domain administrator of ${TENANT}`).waitFor();
    const nav = dora.page.getByRole('navigation', { name: 'Administration' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Users',
      'External users',
      'Templates',
      'Apps',
      'myApps',
      'Audit log',
      'Webhooks',
    ]);
    // Typing the address of an installation page shows a page of their own instead.
    await dora.page.evaluate("location.hash = '#/admin/email'");
    await dora.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await screenshot(dora.page, 'console-domain-admin');
    const token = bearer(
      (await api(system, 'POST', '/api/v1/auth/login', { body: { username: `dora@${TENANT}`, password: GOOD_PASSWORD, device: DEVICE } }))
        .body.accessToken,
    );
    for (const [method, path] of [
      ['GET', '/api/v1/admin/config/email'],
      ['GET', '/api/v1/admin/config/authentication'],
      ['GET', '/api/v1/admin/audit/settings'],
    ] as const) {
      expect((await api(system, method, path, { headers: token })).status).toBe(403);
    }
    await dora.context.close();
  });

  it("works by keyboard alone: the navigation and a page's form are reached with Tab and used with Enter", async () => {
    await openPage(admin.page, 'users', 'Users');
    let reached = false;
    // From the page's heading back into the navigation above it.
    for (let i = 0; i < 12 && !reached; i++) {
      await admin.page.keyboard.press('Shift+Tab');
      reached = await admin.page.evaluate<boolean>("document.activeElement?.getAttribute('data-key') === 'nav-templates'");
    }
    expect(reached).toBe(true);
    await admin.page.keyboard.press('Enter');
    await admin.page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    // Focus moves to the page once it has loaded, so a screen reader starts reading there.
    // (polled from here: the page's CSP forbids waitForFunction's string evaluation)
    let focused = '';
    for (let i = 0; i < 50 && focused !== 'admin-main'; i++) {
      focused = await admin.page.evaluate<string>("document.activeElement?.id ?? ''");
      if (focused !== 'admin-main') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(focused).toBe('admin-main');
  });

  it('axe-core finds no serious or critical issue on any console page, light and wide or dark and 360 px', async () => {
    // A second tab of the signed-in admin (the stored session signs it in), phone-sized and dark.
    const darkPage = await admin.context.newPage();
    await darkPage.setViewportSize({ width: 360, height: 740 });
    await darkPage.emulateMedia({ colorScheme: 'dark' });
    await darkPage.goto(`${system.url}/#/admin/users`);
    await darkPage.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(await darkPage.locator('html').getAttribute('data-theme')).toBe('dark');
    const findings: string[] = [];
    for (const page of [admin.page, darkPage]) {
      for (const [id, heading] of PAGES) {
        await openPage(page, id, heading);
        findings.push(...(await seriousFindings(page)).map((finding) => `${page === darkPage ? 'dark/360' : 'light'} ${id}: ${finding}`));
      }
    }
    await openPage(darkPage, 'users', 'Users');
    await screenshot(darkPage, 'console-dark-360');
    expect(findings).toEqual([]);
    // No page is wider than the phone's screen.
    expect(await darkPage.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await darkPage.close();
  }, 300_000);
});
