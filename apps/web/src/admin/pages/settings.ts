import { h } from '../../dom';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { form, list } from '../ui';
import { formatDefaults, parseDefaults } from '../defaults';

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
        h('h2', {}, at('netlogonTitle')),
        netlogonForm(api, (settings.netlogon ?? {}) as Values, (saved) => (settings = saved)),
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
          'testConnection',
        ),
      ];
    },
  };
}

/**
 * The Windows domain (Netlogon): domain controller, bind mode, service account, CA certificate (pasted or
 * uploaded as a file), fallbacks and the bad-password guard. Saved as `netlogon` of the authentication document.
 */
function netlogonForm(api: PageContext['api'], netlogon: Values, saved: (settings: Values) => void): HTMLFormElement {
  const number = (value: unknown) => (value === undefined || value === '' ? undefined : Number(value));
  return form(
    'netlogon',
    [
      { name: 'url', label: 'dcUrl', type: 'url' },
      { name: 'domain', label: 'netlogonDomain' },
      {
        name: 'bindMode',
        label: 'bindMode',
        type: 'select',
        options: [
          { value: 'upn', label: at('bindUpn') },
          { value: 'search', label: at('bindSearch') },
        ],
      },
      { name: 'searchBase', label: 'searchBase' },
      { name: 'serviceDn', label: 'serviceDn' },
      { name: 'servicePassword', label: 'servicePassword', type: 'password' },
      { name: 'caCertificate', label: 'caCertificate', type: 'pem' },
      { name: 'allowPlainLdap', label: 'allowPlainLdap', type: 'checkbox' },
      { name: 'fallbackUrls', label: 'fallbackUrls' },
      { name: 'netbiosName', label: 'netbiosName' },
      {
        name: 'loginAttribute',
        label: 'loginAttribute',
        type: 'select',
        options: [
          { value: 'sAMAccountName', label: at('loginSam') },
          { value: 'userPrincipalName', label: at('loginUpn') },
        ],
      },
      { name: 'requiredGroup', label: 'requiredGroup' },
      { name: 'timeoutMs', label: 'timeoutMs', type: 'number' },
      { name: 'maxBadPasswords', label: 'maxBadPasswords', type: 'number' },
      { name: 'badPasswordWindowMinutes', label: 'badPasswordWindow', type: 'number' },
    ],
    {
      timeoutMs: 5000,
      bindMode: 'upn',
      loginAttribute: 'sAMAccountName',
      ...netlogon,
      fallbackUrls: ((netlogon.fallbackUrls as string[] | undefined) ?? []).join(', '),
    },
    async (values) => {
      const text = (name: string) => (String(values[name] ?? '').trim() === '' ? null : String(values[name]).trim());
      const body = {
        netlogon: {
          url: text('url'),
          domain: text('domain'),
          bindMode: values.bindMode,
          searchBase: text('searchBase'),
          serviceDn: text('serviceDn'),
          ...(values.servicePassword ? { servicePassword: values.servicePassword } : {}),
          timeoutMs: number(values.timeoutMs) ?? 5000,
          allowPlainLdap: values.allowPlainLdap,
          // Empty: the system's public CAs again.
          caCertificate: text('caCertificate'),
          fallbackUrls: list(values.fallbackUrls),
          netbiosName: text('netbiosName'),
          loginAttribute: values.loginAttribute,
          requiredGroup: text('requiredGroup'),
          ...(number(values.maxBadPasswords) !== undefined ? { maxBadPasswords: number(values.maxBadPasswords) } : {}),
          ...(number(values.badPasswordWindowMinutes) !== undefined
            ? { badPasswordWindowMinutes: number(values.badPasswordWindowMinutes) }
            : {}),
        },
      };
      saved(await api.request<Values>('PUT', '/admin/config/authentication', { body }));
    },
  );
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
          { name: 'defaults', label: 'clientDefaults', type: 'textarea' },
          { name: 'resetPasswordPage', label: 'resetPasswordPage', type: 'url' },
          { name: 'editProfileApp', label: 'editProfileApp' },
        ],
        { ...settings, defaults: formatDefaults((settings.defaults ?? {}) as Values) },
        async (values) => {
          const body = {
            defaults: parseDefaults(String(values.defaults ?? '')),
            resetPasswordPage: values.resetPasswordPage || null,
            editProfileApp: values.editProfileApp || null,
          };
          settings = await api.request<Values>('PUT', '/admin/config/myapps', { body });
        },
      );
    },
  };
}
