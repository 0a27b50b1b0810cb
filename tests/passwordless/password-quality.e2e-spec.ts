import { SmtpSink } from '@gatehouse/testing';
import { closeBrowser, launchChromium, screenshot } from '../web/support';
import { createUser, login } from '../auth/support';
import { configureMail, linkIn, mailTo } from '../approvals/support';
import { adminApi, adminToken } from '../directory/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import type { Browser } from 'playwright-core';

const CAROL = 'carol@example.test';

describe('password quality: zxcvbn dictionaries instead of a hand-typed blocklist', () => {
  let system: TestSystem;
  let sink: SmtpSink;
  let admin: ReturnType<typeof adminApi>;
  let browser: Browser | undefined;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    system = await startTestSystem();
    await configureMail(system, sink);
    admin = adminApi(system, await adminToken(system));
    await createUser(system, { username: 'carol', email: CAROL });
    await createUser(system, { username: 'qorvantis' });
  });
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
    await sink?.stop();
  });

  it.each(['correcthorsebatterystaple', 'qwertyuiopasdfgh'])(
    'refuses the listed password %s with weak_password and a reason',
    async (password) => {
      const refused = await admin('POST', '/admin/users', { username: 'dora', password });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'weak_password', details: { rule: 'common', reason: expect.any(String) } });
      expect(refused.body.error.message).toContain(refused.body.error.details.reason);
      expect((await admin('GET', '/admin/users?q=dora', undefined, 200)).body.total).toBe(0);
    },
  );

  it("refuses the user's own name and domain as a password (accepted for someone else), and accepts a long unusual one", async () => {
    const idOf = async (name: string) => (await admin('GET', `/admin/users?q=${name}`, undefined, 200)).body.items[0].id as string;
    const own = await admin('PATCH', `/admin/users/${await idOf('qorvantis')}`, { password: 'qorvantis.example.com' });
    expect(own.body.error).toMatchObject({ code: 'weak_password', details: { rule: 'common' } });
    await admin('PATCH', `/admin/users/${await idOf('carol')}`, { password: 'qorvantis.example.com' }, 200);
    await admin('PATCH', `/admin/users/${await idOf('carol')}`, { password: 'velvet quokkas hum at 4 dawn' }, 200);
    expect((await login(system, 'carol', 'velvet quokkas hum at 4 dawn')).status).toBe(200);
  });

  it('shows the strength hint and the reason on the reset page in the browser', async () => {
    await api(system, 'POST', '/api/v1/auth/password-reset', { body: { login: 'carol' } });
    const link = linkIn((await mailTo(sink, CAROL, '/auth/password-reset/')).text, '/auth/password-reset');
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(link);
    await expect(page.locator('#strength-hint').textContent()).resolves.toContain('Long is strong');
    await page.locator('input[name=newPassword]').fill('qwertyuiopasdfgh');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Password not changed' }).waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('too easy to guess');
    expect(await page.locator('ul.suggestions li').count()).toBeGreaterThan(0);
    await screenshot(page, 'passwordless-reset-strength-hint');
    // the link was not spent on the refused password
    await page.locator('input[name=newPassword]').fill('amber gulls fold maps 88 ways');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
  });
});
