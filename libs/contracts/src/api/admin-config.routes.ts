import { AuthenticationConfig, AuthenticationConfigChange } from '../auth/auth-settings.contract';
import { ExternalUserCreateRes } from '../auth/auth.contract';
import { ClientSettingsRes, MyAppsSettings, MyAppsSettingsPatch } from '../directory/client-settings.contract';
import { AdminDomainQuery } from '../directory/directory.http';
import { NetlogonTestReq, NetlogonTestRes } from '../federation/federation.contract';
import { ExternalUserBody } from '../gateway/auth.http';
import { EmailConfigResponse, PutEmailConfigBody, TestEmailBody, TestEmailResponse } from '../gateway/mail-config.http';
import { MailerConfigSetRes } from '../mailer/mailer.contract';
import { routes } from './route';

const admin = { tag: 'admin', security: ['bearer', 'apiKey'], admin: true } as const;

/**
 * Settings under `/admin/config` and the seed 002 external users. Authentication and email settings
 * belong to the whole installation: the owning service refuses domain administrators (forbidden).
 */
export const adminConfigRoutes = routes({
  'GET /admin/config/authentication': {
    ...admin,
    summary: 'The authentication policy with the Netlogon and OpenID Connect settings (installation administrators)',
    reply: AuthenticationConfig,
    errors: [],
  },
  'PUT /admin/config/authentication': {
    ...admin,
    summary: 'Change any part of the authentication settings; a GET answer may be sent back as it is',
    description:
      'Federation settings are saved first (an unreachable issuer or a malformed LDAP URL is refused); a type that needs a ' +
      'domain controller or an issuer is refused until one is configured.',
    body: AuthenticationConfigChange,
    reply: AuthenticationConfig,
    errors: ['two_factor_lockout', 'outbound_not_allowed', 'unprocessable'],
  },
  'POST /admin/config/authentication/netlogon/test': {
    ...admin,
    summary: 'Bind one Windows account with the saved Netlogon settings and say what the domain controller answered',
    body: NetlogonTestReq,
    reply: NetlogonTestRes,
    errors: ['netlogon_unavailable'],
  },
  'GET /admin/config/email': {
    ...admin,
    summary: 'The SMTP account (the password never, only `passwordSet`)',
    reply: EmailConfigResponse,
    errors: [],
  },
  'PUT /admin/config/email': {
    ...admin,
    summary: 'Replace the SMTP account',
    body: PutEmailConfigBody,
    reply: MailerConfigSetRes,
    errors: ['outbound_not_allowed'],
  },
  'POST /admin/config/email/test': {
    ...admin,
    summary: 'Send a test mail with the saved SMTP account',
    body: TestEmailBody,
    reply: TestEmailResponse,
    errors: ['mail_failed', 'outbound_not_allowed'],
  },
  'GET /admin/config/myapps': {
    ...admin,
    summary: "A domain's myApps client settings",
    query: AdminDomainQuery,
    reply: MyAppsSettings,
    errors: [],
  },
  'PUT /admin/config/myapps': {
    ...admin,
    summary: "Change a domain's myApps client settings (the fields given)",
    query: AdminDomainQuery,
    body: MyAppsSettingsPatch,
    reply: ClientSettingsRes.shape.settings,
    errors: [],
  },
  'POST /admin/external-users': {
    ...admin,
    summary: 'Create an external user: generated name, no password, single use, deleted after use or 15 minutes',
    body: ExternalUserBody,
    status: 201,
    reply: ExternalUserCreateRes,
    errors: [],
  },
});
