import { z } from 'zod';
import { request } from '../contract';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';

export const FederationSubjects = {
  health: healthSubject('federation'),
  netlogonVerify: 'federation.netlogon.verify',
  configGet: 'federation.config.get',
  configSet: 'federation.config.set',
  oauth2Start: 'federation.oauth2.start',
  oauth2Callback: 'federation.oauth2.callback',
} as const;

export const FederatedNetlogonIdentity = z.object({ username: z.string(), email: z.string().optional(), upn: z.string().optional() });

/** The password is checked by the domain controller; it is never stored or logged. */
export const NetlogonVerifyReq = z
  .object({ domain: z.string().max(253).optional(), username: z.string().min(1).max(320), password: z.string().max(1024) })
  .strict();
export const NetlogonVerifyRes = z.object({ ok: z.boolean(), identity: FederatedNetlogonIdentity.optional() });

const LdapUrl = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value) && /^ldaps?:$/.test(new URL(value).protocol) && new URL(value).hostname !== '', 'must be an ldap:// or ldaps:// URL with a host');

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/** One or more PEM certificates and nothing else; federation also parses each one when it is saved. */
export const PemCertificates = z
  .string()
  .max(65_536)
  .refine((value) => value.includes('-----BEGIN CERTIFICATE-----') && value.replace(PEM_CERTIFICATE, '').trim() === '', 'must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)');

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
  [FederationSubjects.configGet]: request(z.object({}).strict(), z.object({ settings: FederationSettingsView })),
  [FederationSubjects.configSet]: request(FederationConfigSetReq, z.object({ settings: FederationSettingsView })),
  [FederationSubjects.oauth2Start]: request(OAuth2StartReq, OAuth2StartRes),
  [FederationSubjects.oauth2Callback]: request(OAuth2CallbackReq, OAuth2CallbackRes),
};
