import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { NatsClient } from '@gatehouse/platform';
import { SambaDc } from '@gatehouse/testing';
import type { Browser, Page } from 'playwright-core';
import { DirectorySubjects, AuthSubjects, AuthSettingsSubjects } from '@gatehouse/contracts';
import { bearer, createUser, GOOD_PASSWORD, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import { closeBrowser, Device, ensureWebClientBuilt, launchChromium, openDevice, screenshot, signIn, startAppServer } from '../web/support';
import { retryBrowserSteps } from '../support/retry';

const SYSTEM = { kind: 'system', service: 'test' } as const;
const TENANT = 'tenant.example';
const WINDOWS_PASSWORD = 'Windows-Pass-1';

retryBrowserSteps();

/**
 * The console's Users page beyond the profile (devices and their phone app, the home screen as groups
 * and items beside its string, the login lock, API keys), external users, the Netlogon settings with
 * their Test, the myApps client defaults, and the end-user menu's way in. Each test does the task in
 * the browser and checks its effect where a user meets it.
 */
describe('admin console: users in depth, external users, Netlogon, client defaults', () => {
  let system: TestSystem;
  let browser: Browser;
  let apps: { url: string; close(): Promise<void> };
  let nats: NatsClient;
  let admin: Device;
  let root: Record<string, string>;
  /** The user of the devices test, opened again by the accessibility test. */
  let dave = 'dave';

  const openPage = async (page: Page, id: string, heading: string) => {
    await page.evaluate(`location.hash = '#/admin/${id}'`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await page.locator('#admin-main:not([aria-busy])').waitFor();
  };
  /** Opens a user of the Users page by searching their name. */
  const openUser = async (page: Page, username: string, domain = 'example.com') => {
    await openPage(page, 'users', 'Users');
    await page.getByRole('searchbox').fill(username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: `Edit ${username}`, exact: true }).click();
    await page.getByRole('heading', { name: `${username}@${domain}` }).waitFor();
  };
  const seriousFindings = async (page: Page) => {
    const { violations } = await new AxeBuilder({ page } as never).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  const section = (page: Page, key: string) => page.locator(`section[data-section="${key}"]`);
  /** A user name of this attempt: a retried test makes its users anew. */
  const taken = new Set<string>();
  const fresh = (name: string) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name}${n}`;
    taken.add(candidate);
    return candidate;
  };

  beforeAll(async () => {
    await ensureWebClientBuilt();
    apps = await startAppServer();
    // Waits of a login that last long enough to be seen and lifted (the first is 1 s by default).
    [system, browser] = await Promise.all([startTestSystem({ THROTTLE_BASE_DELAY_MS: '300000' }), launchChromium()]);
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'root', admin: true, email: 'root@example.com' });
    root = bearer((await login(system, 'root')).body.accessToken);
    for (const app of [
      { id: 'crm', name: 'CRM', url: `${apps.url}/crm` },
      { id: 'softphone', name: 'Softphone', url: `${apps.url}/softphone`, deviceApp: true },
    ]) {
      expect((await api(system, 'POST', '/api/v1/admin/apps', { headers: root, body: app })).status).toBe(201);
    }
    admin = await openDevice(browser, system);
    await signIn(admin.page, 'root');
    await admin.page.getByRole('heading', { name: 'Home' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
    await apps?.close();
  }, 60_000);

  it("an administrator's menu leads to the console; a user's menu has no such link", async () => {
    await admin.page.evaluate("location.hash = '#/home'");
    await admin.page.getByRole('heading', { name: 'Home' }).waitFor();
    await admin.page.locator('[data-key="menu"]').click();
    await admin.page.getByRole('link', { name: 'Administration' }).click();
    await admin.page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await screenshot(admin.page, 'console-menu-link');

    const name = fresh('plain');
    await createUser(system, { username: name });
    const plain = await openDevice(browser, system);
    await signIn(plain.page, name);
    await plain.page.getByRole('heading', { name: 'Home' }).waitFor();
    await plain.page.locator('[data-key="menu"]').click();
    await plain.page.locator('[data-key="menu-logout"]').waitFor();
    expect(await plain.page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    await plain.context.close();
  });

  it("Users: a device with its phone app puts the app in the user's All apps; a bad row is named beside its field", async () => {
    dave = fresh('dave');
    await createUser(system, { username: dave });
    await openUser(admin.page, dave);
    const devices = section(admin.page, 'devices');
    // An empty device name: the server's validation_failed lands beside that row's field.
    await devices.getByRole('button', { name: 'Add device' }).click();
    await devices.getByRole('button', { name: 'Save' }).click();
    const nameField = devices.getByLabel('Device', { exact: true });
    await devices
      .locator('.field-error')
      .filter({ hasText: /This value is not valid\. \(validation_failed/ })
      .waitFor();
    expect(await nameField.getAttribute('aria-invalid')).toBe('true');

    await nameField.fill('Desk phone 1');
    await devices.getByLabel('Phone app').selectOption('softphone');
    await devices.getByRole('button', { name: 'Save' }).click();
    await devices.getByText('Saved.').waitFor();
    await screenshot(admin.page, 'console-users-devices');
    const details = await api(system, 'GET', `/api/v1/admin/users/${await userId(dave)}`, { headers: root });
    expect(details.body.devices).toEqual([{ device: 'Desk phone 1', app: 'softphone' }]);

    const device = await openDevice(browser, system);
    await signIn(device.page, dave);
    await device.page.getByRole('heading', { name: 'Home' }).waitFor();
    await device.page.evaluate("location.hash = '#/apps'");
    await device.page.getByText('Softphone').first().waitFor();
    await device.context.close();
  });

  it('Users: the home screen is edited as groups and items, and the stored string shows beside them', async () => {
    const name = fresh('hana');
    const hana = await createUser(system, { username: name });
    await api(system, 'PATCH', `/api/v1/admin/users/${hana.id}`, { headers: root, body: { apps: ['crm'] } });
    await openUser(admin.page, name);
    const home = section(admin.page, 'home');
    await home.getByRole('button', { name: 'Add group' }).click();
    await home.getByLabel('Group name (empty: no heading)').fill('Work');
    await home.getByRole('button', { name: 'Add an item to Group 1' }).click();
    await home.getByLabel('App id').fill('crm');
    await home.getByRole('button', { name: 'Save groups' }).click();
    await home.locator('[data-status="home"]').getByText('Saved.').waitFor();
    const raw = home.getByLabel('Home screen (raw)');
    expect(await raw.inputValue()).toContain('crm');
    const stored = await api(system, 'GET', '/api/v1/me/homescreen', { headers: bearer((await login(system, name)).body.accessToken) });
    expect(stored.body.groups).toEqual([expect.objectContaining({ name: 'Work', items: [expect.objectContaining({ app: 'crm' })] })]);
    expect(stored.body.raw).toBe(await raw.inputValue());
    await screenshot(admin.page, 'console-users-home-screen');

    // The string side: saving it redraws the groups from the server's answer.
    await raw.fill('');
    await home.locator('form[data-form="user-home"]').getByRole('button', { name: 'Save' }).click();
    await home.locator('form[data-form="user-home"]').getByText('Saved.').waitFor();
    expect(await home.locator('fieldset.home-group').count()).toBe(0);
  });

  it('Users: a lock from wrong passwords is shown and lifted, and the user signs in again at once', async () => {
    const lee = fresh('lee');
    await createUser(system, { username: lee });
    for (let i = 0; i < 5; i++) expect((await login(system, lee, 'wrong password of lee')).status).toBe(401);
    expect((await login(system, lee)).status).toBe(429);
    await openUser(admin.page, lee);
    const lock = section(admin.page, 'lock');
    await lock.getByText(/Logins wait until .* Consecutive wrong passwords: [56]\./).waitFor();
    await screenshot(admin.page, 'console-users-locked');
    // By keyboard alone: from the opened user, Tab reaches "Lift the lock" and Enter uses it.
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await admin.page.keyboard.press('Tab');
      reached = await admin.page.evaluate<boolean>("document.activeElement?.getAttribute('data-key') === 'lock-lift'");
    }
    expect(reached).toBe(true);
    await admin.page.keyboard.press('Enter');
    await lock.getByText('The lock is lifted: the user can sign in again at once.').waitFor();
    await lock.getByText('No login wait applies. Consecutive wrong passwords: 0.').waitFor();
    expect((await login(system, lee)).status).toBe(200);
    // The admin change is audited (recorded on its way, so looked for a few times).
    let routes: string[] = [];
    for (let i = 0; i < 20 && !routes.includes('DELETE /admin/users/:id/lock'); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      const audit = await api(system, 'GET', '/api/v1/admin/audit?type=admin.change&limit=20', { headers: root });
      routes = audit.body.items.map((item: { details: { route: string } }) => item.details.route);
    }
    expect(routes).toContain('DELETE /admin/users/:id/lock');
  });

  it("Users: an administrator sees a user's API keys and revokes one, which stops working", async () => {
    const name = fresh('kim');
    await createUser(system, { username: name });
    const kim = bearer((await login(system, name)).body.accessToken);
    const made = await api(system, 'POST', '/api/v1/me/api-keys', { headers: kim, body: { name: 'backup script' } });
    expect(made.status).toBe(201);
    const apiKey = { authorization: `ApiKey ${made.body.key}` };
    expect((await api(system, 'GET', '/api/v1/me', { headers: apiKey })).status).toBe(200);
    await openUser(admin.page, name);
    const keys = section(admin.page, 'api-keys');
    await keys.getByRole('cell', { name: 'backup script', exact: true }).waitFor();
    await screenshot(admin.page, 'console-users-api-keys');
    await keys.getByRole('button', { name: 'Revoke API key backup script' }).click();
    await keys.getByText('API key backup script is revoked.').waitFor();
    expect(await keys.getByRole('cell', { name: 'backup script', exact: true }).count()).toBe(0);
    expect((await api(system, 'GET', '/api/v1/me', { headers: apiKey })).status).toBe(401);
  });

  it('External users: the console makes a one-time account whose name signs in once', async () => {
    await openPage(admin.page, 'external', 'External users');
    const create = admin.page.locator('form[data-form="external-user"]');
    await create.getByLabel('Display name').fill('Visitor from ACME');
    await create.getByRole('button', { name: 'Create external user' }).click();
    const name = (await admin.page.locator('[data-key="external-login"]').first().textContent()) ?? '';
    expect(name).toMatch(/^ext-[0-9a-f]+@example\.com$/);
    await screenshot(admin.page, 'console-external-user');
    const first = await login(system, name, 'anything at all');
    expect(first.status).toBe(200);
    expect(first.body.user.displayName).toBe('Visitor from ACME');
    // Single use: the name does not sign in a second time.
    expect((await login(system, name, 'anything at all')).status).not.toBe(200);
  });

  it('myApps: client defaults typed as lines reach every client of the domain', async () => {
    await openPage(admin.page, 'myapps', 'myApps');
    const settings = admin.page.locator('form[data-form="myapps"]');
    await settings.getByLabel(/^Client defaults/).fill('theme = dark\nlanguage = de\nretries = 3');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Saved.').waitFor();
    const config = await api(system, 'GET', '/api/v1/me/client-config', { headers: root });
    expect(config.body.defaults).toEqual({ theme: 'dark', language: 'de', retries: 3 });
    await api(system, 'PUT', '/api/v1/admin/config/myapps', { headers: root, body: { defaults: {} } });
  });

  it('a domain administrator cannot read or lift the lock of a user of another domain', async () => {
    const name = fresh('tina');
    const { user } = await nats.send(DirectorySubjects.userCreate, { domain: TENANT, username: name, admin: true });
    await nats.send(AuthSubjects.passwordSet, { userId: user.id, password: GOOD_PASSWORD });
    const tina = bearer((await login(system, `${name}@${TENANT}`)).body.accessToken);
    const other = await userId('root');
    expect((await api(system, 'GET', `/api/v1/admin/users/${other}/lock`, { headers: tina })).status).toBe(404);
    expect((await api(system, 'DELETE', `/api/v1/admin/users/${other}/lock`, { headers: tina })).status).toBe(404);
    expect((await api(system, 'GET', `/api/v1/admin/users/${other}/api-keys`, { headers: tina })).status).toBe(404);
    expect((await api(system, 'GET', `/api/v1/admin/users/${user.id}/lock`, { headers: tina })).status).toBe(200);
    // Nothing to lift says so; an unknown key of a reachable user is not found; a malformed id is refused.
    expect((await api(system, 'DELETE', `/api/v1/admin/users/${user.id}/lock`, { headers: tina })).body).toMatchObject({
      lifted: false,
      before: { locked: false, accountFailures: 0 },
    });
    const unknownKey = await api(system, 'DELETE', `/api/v1/admin/users/${user.id}/api-keys/${other}`, { headers: tina });
    expect([unknownKey.status, unknownKey.body.error.code]).toEqual([404, 'not_found']);
    const malformed = await api(system, 'GET', '/api/v1/admin/users/not-a-uuid/lock', { headers: tina });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('an opened user shows what is stored for them: profile, device, home screen, lock and API key', async () => {
    const name = fresh('maria');
    const maria = await createUser(system, { username: name, email: `${name}@example.com` });
    const patch = { displayName: 'Maria Lopez', apps: ['crm'], devices: [{ device: 'IP phone 112', app: 'softphone' }] };
    expect((await api(system, 'PATCH', `/api/v1/admin/users/${maria.id}`, { headers: root, body: patch })).status).toBe(200);
    const own = bearer((await login(system, name)).body.accessToken);
    await api(system, 'PUT', '/api/v1/me/homescreen', { headers: own, body: { raw: ':Office,crm' } });
    await api(system, 'POST', '/api/v1/me/api-keys', { headers: own, body: { name: 'calendar sync' } });
    for (let i = 0; i < 5; i++) await login(system, name, 'a wrong password');
    await openUser(admin.page, name);
    expect(await section(admin.page, 'devices').getByLabel('Device', { exact: true }).inputValue()).toBe('IP phone 112');
    expect(await section(admin.page, 'devices').getByLabel('Phone app').inputValue()).toBe('softphone');
    expect(await section(admin.page, 'home').getByLabel('Group name (empty: no heading)').inputValue()).toBe('Office');
    expect(await section(admin.page, 'home').getByLabel('Home screen (raw)').inputValue()).toBe(':Office,crm');
    await section(admin.page, 'lock')
      .getByText(/Logins wait until/)
      .waitFor();
    await section(admin.page, 'api-keys').getByRole('cell', { name: 'calendar sync', exact: true }).waitFor();
    // The picture of the README's "Administration" section (copied to docs/admin-console.png).
    await screenshot(admin.page, 'console-readme');
  });

  it('axe-core finds no serious or critical issue on an opened user and on External users, light and wide or dark and 360 px', async () => {
    const darkPage = await admin.context.newPage();
    await darkPage.setViewportSize({ width: 360, height: 740 });
    await darkPage.emulateMedia({ colorScheme: 'dark' });
    await darkPage.goto(`${system.url}/#/admin/users`);
    await darkPage.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    const findings: string[] = [];
    for (const page of [admin.page, darkPage]) {
      const label = page === darkPage ? 'dark/360' : 'light';
      await openUser(page, dave);
      // Every section has drawn: the device row, an item of the home screen editor, the lock line, the keys.
      await section(page, 'devices').getByLabel('Device', { exact: true }).waitFor();
      await section(page, 'lock').locator('[data-key="lock-state"]').waitFor();
      await section(page, 'home').getByRole('button', { name: 'Add group' }).click();
      findings.push(...(await seriousFindings(page)).map((finding) => `${label} user: ${finding}`));
      await openPage(page, 'external', 'External users');
      findings.push(...(await seriousFindings(page)).map((finding) => `${label} external: ${finding}`));
      await openPage(page, 'authentication', 'Authentication');
      findings.push(...(await seriousFindings(page)).map((finding) => `${label} authentication: ${finding}`));
    }
    await openUser(darkPage, dave);
    await screenshot(darkPage, 'console-users-dark-360');
    expect(findings).toEqual([]);
    expect(await darkPage.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await darkPage.close();
  }, 300_000);

  describe('Netlogon against the Samba AD domain controller (CORP.TEST)', () => {
    let dc: SambaDc;
    beforeAll(async () => {
      dc = await SambaDc.connect();
    });
    afterAll(async () => {
      await nats.send(AuthSettingsSubjects.set, { actor: SYSTEM, type: 'pbx' }).catch(() => undefined);
      await dc?.dispose();
    });

    it('the domain controller, bind mode and an uploaded CA certificate are saved, and "Test connection" binds a typed login', async () => {
      const grace = await dc.createUser(fresh('grace'), WINDOWS_PASSWORD);
      const caFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-ca-')), 'corp-ca.pem');
      writeFileSync(caFile, dc.caCertificate);
      await openPage(admin.page, 'authentication', 'Authentication');
      const netlogon = admin.page.locator('form[data-form="netlogon"]');
      // A plain ldap:// URL without "Allow ldap:// without TLS" is refused beside the URL field.
      await netlogon.getByLabel('Domain controller (ldaps:// or ldap:// URL)').fill('not a url');
      await netlogon.getByRole('button', { name: 'Save' }).click();
      const urlError = netlogon.locator('.field', { has: admin.page.getByLabel('Domain controller (ldaps:// or ldap:// URL)') });
      await urlError
        .locator('.field-error')
        .getByText(/validation_failed/)
        .waitFor();

      await netlogon.getByLabel('Domain controller (ldaps:// or ldap:// URL)').fill(dc.ldapsUrl);
      await netlogon.getByLabel('Windows domain (DNS name)').fill(dc.domain);
      await netlogon.getByLabel('Bind mode').selectOption('upn');
      await netlogon.getByLabel('Upload a certificate file (.pem, .crt)').setInputFiles(caFile);
      await netlogon.getByLabel(/^CA certificate/).waitFor();
      // The file's text fills the area (read in the browser; nothing is sent before Save).
      for (let i = 0; i < 50 && !(await netlogon.getByLabel(/^CA certificate/).inputValue()).includes('BEGIN CERTIFICATE'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await netlogon.getByRole('button', { name: 'Save' }).click();
      await netlogon.getByText('Saved.').waitFor();
      const saved = await api(system, 'GET', '/api/v1/admin/config/authentication', { headers: root });
      expect(saved.body.netlogon).toMatchObject({ url: dc.ldapsUrl, domain: dc.domain, bindMode: 'upn' });
      // The uploaded file's certificate, not some other text.
      expect(saved.body.netlogon.caCertificate).toContain(dc.caCertificate.trim().split('\n')[1]);

      const test = admin.page.locator('form[data-form="netlogon-test"]');
      await test.getByLabel('Windows user (e.g. CORP\\alice)').fill(`CORP\\${grace.name}`);
      await test.getByLabel('Password').fill(WINDOWS_PASSWORD);
      await test.getByRole('button', { name: 'Test connection' }).click();
      await test.getByText(/The domain controller answered: ok/).waitFor();
      await screenshot(admin.page, 'console-netlogon-test');
      await test.getByLabel('Password').fill('Wrong-Windows-9');
      await test.getByRole('button', { name: 'Test connection' }).click();
      await test.getByText(/The domain controller answered: wrong_password/).waitFor();
    });
  });

  const userId = async (username: string): Promise<string> => {
    const list = await api(system, 'GET', `/api/v1/admin/users?q=${username}`, { headers: root });
    return (list.body.items as Array<{ id: string; username: string }>).find((user) => user.username === username)!.id;
  };
});
