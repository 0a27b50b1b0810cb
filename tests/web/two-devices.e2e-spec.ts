import { NatsClient } from '@gatehouse/platform';
import type { Browser } from 'playwright-core';
import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { createUser } from '../auth/support';
import { startTestSystem, TestSystem } from '../support/system';
import {
  DESKTOP,
  Device,
  PHONE,
  closeBrowser,
  ensureWebClientBuilt,
  isSamePage,
  launchChromium,
  markPage,
  openDevice,
  screenshot,
  signIn,
  stored,
} from './support';
import { retryBrowserSteps } from '../support/retry';

retryBrowserSteps();

describe('web client: two devices, approval and remote logout', () => {
  let system: TestSystem;
  let browser: Browser;
  let first: Device;
  let second: Device;

  beforeAll(async () => {
    await ensureWebClientBuilt();
    [system, browser] = await Promise.all([startTestSystem(), launchChromium()]);
    await createUser(system, { username: 'alice', email: 'alice@example.test' });
  }, 180_000);
  afterAll(async () => {
    await closeBrowser(browser);
    await system?.stop();
  }, 60_000);

  it('lets the second device in when the first accepts the same security code', async () => {
    first = await openDevice(browser, system, DESKTOP);
    await signIn(first.page, 'alice');
    await first.page.getByRole('heading', { name: 'Home' }).waitFor();
    // Two-factor from now on: the desktop is the signed-in device every later login asks.
    await system.gateway
      .get(NatsClient, { strict: false })
      .send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: true });

    second = await openDevice(browser, system, PHONE, 360);
    await signIn(second.page, 'alice');
    await second.page.getByRole('heading', { name: 'Confirm this sign-in' }).waitFor();
    const code = (await second.page.getByTestId('security-code').textContent())?.trim();
    expect(code).toMatch(/^\d{6}$/);
    await expect(second.page.getByText('Accept it on another device where you are signed in.').isVisible()).resolves.toBe(true);
    await screenshot(second.page, 'two-devices-1-waiting');

    const dialog = first.page.getByTestId('approval-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('approval-code').textContent()).toBe(code);
    expect(await dialog.getByTestId('approval-device').textContent()).toBe('Chrome on Android (web)');
    expect(await dialog.getByTestId('approval-address').textContent()).toMatch(/127\.0\.0\.1/);
    await screenshot(first.page, 'two-devices-2-dialog');
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The waiting device moves on by itself and keeps its session for the next start.
    await second.page.getByRole('heading', { name: 'Home' }).waitFor();
    expect(await stored(second.page, 'appclient-username')).toMatch(/^[0-9a-f-]{36}$/);
    await screenshot(second.page, 'two-devices-3-approved');
  });

  it('asks on every signed-in tab; Reject on one closes the dialog on the others and sends the new device back', async () => {
    const secondTab = await first.context.newPage();
    await secondTab.goto(system.url);
    await secondTab.getByRole('heading', { name: 'Home' }).waitFor(); // the stored session signs the tab in

    const third = await openDevice(browser, system, PHONE);
    await signIn(third.page, 'alice');
    const code = await third.page.getByTestId('security-code').textContent();
    for (const tab of [first.page, secondTab])
      expect(await tab.getByTestId('approval-dialog').getByTestId('approval-code').textContent()).toBe(code);

    await secondTab.getByTestId('approval-dialog').getByRole('button', { name: 'Reject' }).click();
    await first.page.getByTestId('approval-dialog').waitFor({ state: 'hidden' });
    await third.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await third.page.getByRole('status').textContent()).toBe('The sign-in was rejected.');
    await screenshot(third.page, 'two-devices-4-rejected');

    // The tab that rejected says what to do if the sign-in was not the user's own (seed 000).
    const advice = secondTab.getByTestId('approval-dialog');
    await advice.getByText('someone else knows your password').waitFor();
    await screenshot(secondTab, 'two-devices-4a-reject-advice');
    await secondTab.keyboard.press('Escape');
    await advice.waitFor({ state: 'hidden' });
    await secondTab.close();
    await third.context.close();
  });

  it('withdraws the login when the new device cancels: the dialog on the first goes away', async () => {
    const third = await openDevice(browser, system, PHONE);
    await signIn(third.page, 'alice');
    const dialog = first.page.getByTestId('approval-dialog');
    await dialog.waitFor();
    await third.page.getByRole('button', { name: 'Cancel' }).click();
    await third.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await screenshot(first.page, 'two-devices-4b-cancelled');
    await third.context.close();
  });

  it('in transfer mode asks the first device for the code the new one shows', async () => {
    const nats = system.gateway.get(NatsClient, { strict: false });
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, approvalMode: 'transfer' });
    try {
      const third = await openDevice(browser, system, PHONE);
      await signIn(third.page, 'alice');
      const code = (await third.page.getByTestId('security-code').textContent()) ?? '';
      const dialog = first.page.getByTestId('approval-dialog');
      const field = dialog.getByLabel('Enter the security code shown on the new device');
      expect(await dialog.getByTestId('approval-code').count()).toBe(0); // the approver is not shown the code

      await field.fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
      await dialog.getByRole('button', { name: 'Accept' }).click();
      expect(await dialog.getByRole('alert').textContent()).toBe('The security code does not match.');
      await screenshot(first.page, 'two-devices-4b-transfer-wrong-code');
      await field.fill(code);
      await dialog.getByRole('button', { name: 'Accept' }).click();
      await third.page.getByRole('heading', { name: 'Home' }).waitFor();
      await third.page.getByText('Menu', { exact: true }).click();
      await third.page.getByRole('button', { name: 'Log out', exact: true }).click();
      await third.page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await third.context.close();
    } finally {
      await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, approvalMode: 'compare' });
    }
  });

  it('logs the second device out from Account security and it is back on the login screen without a reload', async () => {
    await markPage(second.page);
    await first.page.getByRole('link', { name: 'Account security' }).click();
    const phone = first.page.getByTestId('session').filter({ hasText: 'Chrome on Android (web)' });
    await phone.waitFor();
    expect(await first.page.getByTestId('session').count()).toBe(2);
    const current = first.page.locator('[data-testid="session"][aria-current="true"]');
    expect(await current.getByText('This device').isVisible()).toBe(true);
    expect(await current.textContent()).toContain('Chrome on Windows (web)');

    await first.page.getByRole('button', { name: 'Log out Chrome on Android (web)' }).click();
    await second.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await second.page.getByRole('status').textContent()).toBe('This device was logged out.');
    expect(await isSamePage(second.page)).toBe(true);
    expect(await stored(second.page, 'appclient-password')).toBeNull();
    await phone.waitFor({ state: 'detached' });
    await screenshot(first.page, 'two-devices-5-security');
    await screenshot(second.page, 'two-devices-6-logged-out');
  });

  it('signs the first device in again from its stored session after a reload, and logs out', async () => {
    await first.page.reload();
    // The route survives the reload (mails link to #/security).
    await first.page.getByRole('heading', { name: 'Account security' }).waitFor();
    await first.page.getByText('Chrome on Windows (web)').waitFor();
    await first.page.getByText('Menu', { exact: true }).click();
    await first.page.getByRole('button', { name: 'Log out', exact: true }).click();
    await first.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await stored(first.page, 'appclient-username')).toBeNull();
    await screenshot(first.page, 'two-devices-7-own-logout');
  });
});
