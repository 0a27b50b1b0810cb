import { h } from '../../dom';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { form, list } from '../ui';

type Values = Record<string, unknown>;

/** Authentication (installation administrators): two-factor, type, approval mode, reset and notices. */
export function authenticationPage({ api }: PageContext) {
  let settings: Values | undefined;
  return {
    async load() {
      settings = await api.request<Values>('GET', '/admin/config/authentication');
    },
    render() {
      if (!settings) return null;
      const settingsForm = form(
        'auth',
        [
          { name: 'twoFactor', label: 'twoFactor', type: 'checkbox' },
          {
            name: 'type',
            label: 'authType',
            type: 'select',
            options: ['pbx', 'netlogon', 'pbx+netlogon', 'oauth2', 'pbx+oauth2'].map((value) => ({ value, label: value })),
          },
          {
            name: 'approvalMode',
            label: 'approvalMode',
            type: 'select',
            options: [
              { value: 'compare', label: at('approvalCompare') },
              { value: 'transfer', label: at('approvalTransfer') },
            ],
          },
          { name: 'passwordReset', label: 'passwordReset', type: 'checkbox' },
          { name: 'newDeviceNotice', label: 'newDeviceNotice', type: 'checkbox' },
        ],
        settings,
        async (values) => {
          // The form stays as typed: re-rendering it would drop its "Saved." status.
          settings = await api.request<Values>('PUT', '/admin/config/authentication', { body: values });
        },
      );
      const oidc = (settings.oidc ?? {}) as Values;
      return [
        settingsForm,
        h('h2', {}, at('oauth2Title')),
        form(
          'oidc',
          [
            { name: 'providerName', label: 'providerName' },
            { name: 'issuer', label: 'issuer', type: 'url' },
            { name: 'clientId', label: 'clientId' },
            { name: 'clientSecret', label: 'clientSecret', type: 'password' },
            { name: 'redirectUri', label: 'redirectUri', type: 'url' },
            { name: 'oauth2Domain', label: 'oauth2Domain' },
            { name: 'allowedOrigins', label: 'allowedOrigins' },
          ],
          { ...oidc, allowedOrigins: ((oidc.allowedOrigins as string[] | undefined) ?? []).join(', ') },
          async (values) => {
            const body = {
              oidc: {
                providerName: String(values.providerName ?? ''),
                issuer: values.issuer || null,
                clientId: values.clientId || null,
                ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
                redirectUri: values.redirectUri || null,
                oauth2Domain: values.oauth2Domain || null,
                allowedOrigins: list(values.allowedOrigins),
              },
            };
            settings = await api.request<Values>('PUT', '/admin/config/authentication', { body });
          },
        ),
        h('h2', {}, at('netlogonTest')),
        form(
          'netlogon-test',
          [
            { name: 'username', label: 'windowsUser', required: true },
            { name: 'password', label: 'initialPassword', type: 'password', autocomplete: 'off' },
          ],
          {},
          async (values) => {
            const answer = await api.request<{ outcome: string; message: string }>('POST', '/admin/config/authentication/netlogon/test', {
              body: values,
            });
            return at('netlogonResult', { outcome: answer.outcome, message: answer.message });
          },
          'netlogonTest',
        ),
      ];
    },
  };
}

/** Email (installation administrators): the SMTP account of seed 001 and the Test button with the server's answer. */
export function emailPage({ api }: PageContext) {
  let config: Values | null | undefined;
  let result = '';
  const resultLine = h('p', { class: 'status', role: 'status', id: 'email-test-result' });
  return {
    async load() {
      config = (await api.request<{ config: Values | null }>('GET', '/admin/config/email')).config;
    },
    render() {
      if (config === undefined) return null;
      resultLine.textContent = result;
      return [
        form(
          'email',
          [
            { name: 'host', label: 'smtpHost', required: true },
            { name: 'port', label: 'smtpPort', type: 'number', required: true },
            { name: 'secure', label: 'smtpSecure', type: 'checkbox' },
            { name: 'clientHostName', label: 'clientHostName' },
            { name: 'senderName', label: 'senderName' },
            { name: 'address', label: 'senderAddress', type: 'email', required: true },
            { name: 'username', label: 'smtpUsername', autocomplete: 'off' },
            { name: 'password', label: 'smtpPassword', type: 'password' },
            { name: 'verificationLink', label: 'verificationLink', type: 'url', required: true },
          ],
          config ?? { port: 587, secure: false },
          async ({ password, ...values }) => {
            const body = { ...values, ...(password ? { password } : {}) };
            config = (await api.request<{ config: Values | null }>('PUT', '/admin/config/email', { body })).config;
          },
        ),
        h('h2', {}, at('sendTest')),
        form(
          'email-test',
          [{ name: 'to', label: 'testTo', type: 'email', required: true }],
          {},
          async ({ to }) => {
            const answer = await api.request<{ ok: boolean; response?: string; reason?: string; message?: string }>(
              'POST',
              '/admin/config/email/test',
              { body: { to } },
            );
            result = answer.ok
              ? at('testOk', { response: answer.response ?? '' })
              : at('testFailed', { reason: `${answer.reason} — ${answer.message}` });
            resultLine.textContent = result;
            return result;
          },
          'sendTest',
        ),
      ];
    },
  };
}

/** myApps (the admin's domain): the reset-password page and the edit-profile app. */
export function myAppsPage({ api }: PageContext) {
  let settings: Values | undefined;
  return {
    async load() {
      settings = await api.request<Values>('GET', '/admin/config/myapps');
    },
    render() {
      if (!settings) return null;
      return form(
        'myapps',
        [
          { name: 'resetPasswordPage', label: 'resetPasswordPage', type: 'url' },
          { name: 'editProfileApp', label: 'editProfileApp' },
        ],
        settings,
        async (values) => {
          const body = { resetPasswordPage: values.resetPasswordPage || null, editProfileApp: values.editProfileApp || null };
          settings = await api.request<Values>('PUT', '/admin/config/myapps', { body });
        },
      );
    },
  };
}
