import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';

export const FederationSubjects = {
  health: healthSubject('federation'),
  netlogonVerify: 'federation.netlogon.verify',
  netlogonTest: 'federation.netlogon.test',
  configGet: 'federation.config.get',
  configSet: 'federation.config.set',
  oauth2Start: 'federation.oauth2.start',
  oauth2Callback: 'federation.oauth2.callback',
} as const;

export const FederatedNetlogonIdentity = z.object({ username: z.string(), email: z.string().optional(), upn: z.string().optional() });

/**
 * The password is checked by the domain controller; it is never stored or logged. `username` and
 * `email` are the Gatehouse user's (the Windows account is found from them by the configured
 * attribute); `domain` is the Windows domain the user typed (`CORP\\alice`, `alice@corp.test`), if any.
 */
export const NetlogonVerifyReq = z
  .object({
    domain: z.string().max(253).optional(),
    username: z.string().min(1).max(320),
    email: z.string().max(320).nullable().optional(),
    password: z.string().max(1024),
  })
  .strict();
/** Active Directory account states (bind sub-codes), and the refusals Gatehouse adds (group, its own bad-password guard). */
export const NetlogonRefusalCode = z.enum([
  'password_expired',
  'password_must_change',
  'account_disabled',
  'account_expired',
  'account_restricted',
  'account_locked',
  'no_such_account',
  'not_in_group',
]);
export type NetlogonRefusalCode = z.infer<typeof NetlogonRefusalCode>;
/**
 * Why the domain controller refused a bind other than a plain wrong password. `proven`: the state
 * is reported only after the password was checked (AD's 532/533/701/773/530/531, a group check
 * after a good bind), so it may be told to the caller; otherwise (775 locked, 525) it may not.
 */
export const NetlogonRefusal = z.object({ code: NetlogonRefusalCode, adCode: z.string().max(8).optional(), proven: z.boolean() });
export type NetlogonRefusal = z.infer<typeof NetlogonRefusal>;
export const NetlogonVerifyRes = z.object({
  ok: z.boolean(),
  identity: FederatedNetlogonIdentity.optional(),
  refusal: NetlogonRefusal.optional(),
});

/** An administrator binds a user to check the settings; nothing is signed in and no Gatehouse user is needed. */
export const NetlogonTestReq = z.object({ username: z.string().min(1).max(320), password: z.string().min(1).max(1024) }).strict();
export const NetlogonTestRes = z.object({
  ok: z.boolean(),
  /** `ok`, `wrong_password`, a refusal code, or why the domain controller could not be asked. */
  outcome: z.string(),
  message: z.string(),
  adCode: z.string().optional(),
  domainController: z.string().optional(),
  identity: FederatedNetlogonIdentity.optional(),
});

const LdapUrl = z
  .string()
  .max(2048)
  .refine(
    (value) => URL.canParse(value) && /^ldaps?:$/.test(new URL(value).protocol) && new URL(value).hostname !== '',
    'must be an ldap:// or ldaps:// URL with a host',
  );

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/** One or more PEM certificates and nothing else; federation also parses each one when it is saved. */
export const PemCertificates = z
  .string()
  .max(65_536)
  .refine(
    (value) => value.includes('-----BEGIN CERTIFICATE-----') && value.replace(PEM_CERTIFICATE, '').trim() === '',
    'must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)',
  );

export const FederationSettingsView = z.object({
  netlogon: z.object({
    url: z.string().nullable(),
    domain: z.string().nullable(),
    bindMode: z.enum(['upn', 'search']),
    searchBase: z.string().nullable(),
    serviceDn: z.string().nullable(),
    /** The service account password is write-only. */
    servicePasswordSet: z.boolean(),
    timeoutMs: z.number().int(),
    allowPlainLdap: z.boolean(),
    /** PEM of the CA(s) trusted for the domain controller's TLS certificate; null: the system's public CAs. */
    caCertificate: z.string().nullable(),
    /** Further domain controllers, tried in order when the one before does not answer. */
    fallbackUrls: z.array(z.string()),
    /** The NetBIOS domain accepted in `DOMAIN\\user` logins; null: the first label of `domain`. */
    netbiosName: z.string().nullable(),
    /** Which attribute of the Windows account names the Gatehouse user: its username (sAMAccountName) or its email (userPrincipalName). */
    loginAttribute: z.enum(['sAMAccountName', 'userPrincipalName']),
    /** DN of an AD group the account must belong to (nested membership counts); null: any account. */
    requiredGroup: z.string().nullable(),
    /** Gatehouse binds at most this many wrong passwords per Windows account within the window: keep it below AD's lockout threshold. */
    maxBadPasswords: z.number().int(),
    badPasswordWindowMinutes: z.number().int(),
  }),
  oidc: z.object({
    issuer: z.string().nullable(),
    clientId: z.string().nullable(),
    clientSecretSet: z.boolean(),
    redirectUri: z.string().nullable(),
    allowedOrigins: z.array(z.string()),
    providerName: z.string(),
    oauth2Domain: z.string().nullable(),
  }),
});
export type FederationSettingsView = z.infer<typeof FederationSettingsView>;

export const FederationConfigSetReq = z
  .object({
    netlogon: z
      .object({
        url: LdapUrl.nullable(),
        domain: z.string().min(1).max(253).nullable(),
        bindMode: z.enum(['upn', 'search']),
        searchBase: z.string().max(1024).nullable(),
        serviceDn: z.string().max(1024).nullable(),
        /** Omitted: keep the stored one. */
        servicePassword: z.string().min(1).max(1024).optional(),
        timeoutMs: z.number().int().min(100).max(60_000),
        allowPlainLdap: z.boolean(),
        /**
         * PEM of the company CA(s) that sign the domain controller's certificate, for ldaps:// and
         * StartTLS; once set only these are trusted. Omitted: keep the stored one; null: remove it.
         */
        caCertificate: PemCertificates.nullable().optional(),
        /** The settings below: omitted keeps the stored value. */
        fallbackUrls: z.array(LdapUrl).max(10).optional(),
        netbiosName: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,14}$/, 'must be a NetBIOS domain name (up to 15 letters, digits, . or -)')
          .nullable()
          .optional(),
        loginAttribute: z.enum(['sAMAccountName', 'userPrincipalName']).optional(),
        requiredGroup: z.string().min(3).max(1024).nullable().optional(),
        maxBadPasswords: z.number().int().min(1).max(50).optional(),
        badPasswordWindowMinutes: z.number().int().min(1).max(1440).optional(),
      })
      .strict()
      .optional(),
    oidc: z
      .object({
        issuer: z.url().max(2048).nullable(),
        clientId: z.string().min(1).max(512).nullable(),
        clientSecret: z.string().min(1).max(2048).optional(),
        redirectUri: z.url().max(2048).nullable(),
        allowedOrigins: z.array(z.url().max(2048)).max(50),
        providerName: z.string().max(100),
        oauth2Domain: z.string().max(253).nullable(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type FederationConfigSetReq = z.infer<typeof FederationConfigSetReq>;
/** Installation-wide: federation answers only installation administrators and system callers. */
export const FederationConfigGetReq = z.object({ actor: Actor }).strict();
/** The change, and who asks for it. */
export const FederationConfigSetRpcReq = FederationConfigSetReq.extend({ actor: Actor }).strict();

/** returnTo must be an absolute URL on one of the configured client origins. */
export const OAuth2StartReq = z.object({ returnTo: z.string().min(1).max(2048) }).strict();
export const OAuth2StartRes = z.object({ authorizationUrl: z.string() });

/** `query` is the raw query string the provider sent to our redirect URI (without the leading ?). */
export const OAuth2CallbackReq = z.object({ query: z.string().max(8192) }).strict();
export const FederatedIdentity = z.object({
  issuer: z.string(),
  subject: z.string(),
  email: z.string().optional(),
  upn: z.string().optional(),
});
export const OAuth2CallbackRes = z.object({
  identity: FederatedIdentity,
  /** The directory user this identity is linked to (found by email/UPN on first use), or null. */
  userId: z.string().nullable(),
  returnTo: z.string(),
});

export const federationContract = {
  [FederationSubjects.health]: request(HealthPingReq, HealthPingRes),
  [FederationSubjects.netlogonVerify]: request(NetlogonVerifyReq, NetlogonVerifyRes),
  [FederationSubjects.netlogonTest]: request(NetlogonTestReq.extend({ actor: Actor }).strict(), NetlogonTestRes),
  [FederationSubjects.configGet]: request(FederationConfigGetReq, z.object({ settings: FederationSettingsView })),
  [FederationSubjects.configSet]: request(FederationConfigSetRpcReq, z.object({ settings: FederationSettingsView })),
  [FederationSubjects.oauth2Start]: request(OAuth2StartReq, OAuth2StartRes),
  [FederationSubjects.oauth2Callback]: request(OAuth2CallbackReq, OAuth2CallbackRes),
};
