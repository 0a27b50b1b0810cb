import type { ApiRoutes, RouteRequest } from '@gatehouse/contracts';
import type { Reply } from '../../api';
import { h } from '../../dom';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { form, list } from '../ui';
import { formatDefaults, parseDefaults } from '../defaults';

/** What a route takes as its body: the form's values, typed per field, as the declaration names them (the server checks them). */
type Body<K extends keyof ApiRoutes> = RouteRequest<ApiRoutes[K]>['body'];
type AuthSettings = Reply<'GET /admin/config/authentication'>;
type AuthChange = Body<'PUT /admin/config/authentication'>;
type NetlogonChange = NonNullable<AuthChange['netlogon']>;

/** Authentication (installation administrators): two-factor, type, approval mode, reset and notices. */
export function authenticationPage({ api }: PageContext) {
  let settings: AuthSettings | undefined;
  return {
    async load() {
      settings = await api.call('GET /admin/config/authentication');
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
          settings = await api.call('PUT /admin/config/authentication', { body: values as AuthChange });
        },
      );
      const oidc = settings.oidc;
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
          { ...oidc, allowedOrigins: (oidc?.allowedOrigins ?? []).join(', ') },
          async (values) => {
            const body = {
              oidc: {
                providerName: String(values.providerName ?? ''),
                issuer: (values.issuer as string) || null,
                clientId: (values.clientId as string) || null,
                ...(values.clientSecret ? { clientSecret: values.clientSecret as string } : {}),
                redirectUri: (values.redirectUri as string) || null,
                oauth2Domain: (values.oauth2Domain as string) || null,
                allowedOrigins: list(values.allowedOrigins),
              },
            };
            settings = await api.call('PUT /admin/config/authentication', { body });
          },
        ),
        h('h2', {}, at('netlogonTitle')),
        netlogonForm(api, settings.netlogon, (saved) => (settings = saved)),
        h('h2', {}, at('netlogonTest')),
        form(
          'netlogon-test',
          [
            { name: 'username', label: 'windowsUser', required: true },
            { name: 'password', label: 'initialPassword', type: 'password', autocomplete: 'off' },
          ],
          {},
          async (values) => {
            const answer = await api.call('POST /admin/config/authentication/netlogon/test', {
              body: values as Body<'POST /admin/config/authentication/netlogon/test'>,
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
function netlogonForm(
  api: PageContext['api'],
  netlogon: AuthSettings['netlogon'],
  saved: (settings: AuthSettings) => void,
): HTMLFormElement {
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
      // The answer always carries every Netlogon setting, defaults included (FederationSettingsView).
      ...netlogon,
      fallbackUrls: (netlogon?.fallbackUrls ?? []).join(', '),
    },
    async (values) => {
      const text = (name: string) => (String(values[name] ?? '').trim() === '' ? null : String(values[name]).trim());
      const body = {
        netlogon: {
          url: text('url'),
          domain: text('domain'),
          bindMode: values.bindMode as NetlogonChange['bindMode'],
          searchBase: text('searchBase'),
          serviceDn: text('serviceDn'),
          ...(values.servicePassword ? { servicePassword: values.servicePassword as string } : {}),
          timeoutMs: number(values.timeoutMs) ?? 5000,
          allowPlainLdap: values.allowPlainLdap as boolean,
          // Empty: the system's public CAs again.
          caCertificate: text('caCertificate'),
          fallbackUrls: list(values.fallbackUrls),
          netbiosName: text('netbiosName'),
          loginAttribute: values.loginAttribute as NetlogonChange['loginAttribute'],
          requiredGroup: text('requiredGroup'),
          ...(number(values.maxBadPasswords) !== undefined ? { maxBadPasswords: number(values.maxBadPasswords) } : {}),
          ...(number(values.badPasswordWindowMinutes) !== undefined
            ? { badPasswordWindowMinutes: number(values.badPasswordWindowMinutes) }
            : {}),
        },
      };
      saved(await api.call('PUT /admin/config/authentication', { body }));
    },
  );
}

/** Email (installation administrators): the SMTP account of seed 001 and the Test button with the server's answer. */
export function emailPage({ api }: PageContext) {
  let config: Reply<'GET /admin/config/email'>['config'] | undefined;
  let result = '';
  const resultLine = h('p', { class: 'status', role: 'status', id: 'email-test-result' });
  return {
    async load() {
      config = (await api.call('GET /admin/config/email')).config;
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
            config = (await api.call('PUT /admin/config/email', { body: body as Body<'PUT /admin/config/email'> })).config;
          },
        ),
        h('h2', {}, at('sendTest')),
        form(
          'email-test',
          [{ name: 'to', label: 'testTo', type: 'email', required: true }],
          {},
          async ({ to }) => {
            const answer = await api.call('POST /admin/config/email/test', { body: { to: to as string } });
            result = answer.ok
              ? at('testOk', { response: answer.response })
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
  let settings: Reply<'GET /admin/config/myapps'> | undefined;
  return {
    async load() {
      settings = await api.call('GET /admin/config/myapps', { query: {} });
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
        { ...settings, defaults: formatDefaults(settings.defaults) },
        async (values) => {
          const body = {
            defaults: parseDefaults(String(values.defaults ?? '')),
            resetPasswordPage: (values.resetPasswordPage as string) || null,
            editProfileApp: (values.editProfileApp as string) || null,
          };
          settings = await api.call('PUT /admin/config/myapps', { query: {}, body });
        },
      );
    },
  };
}
