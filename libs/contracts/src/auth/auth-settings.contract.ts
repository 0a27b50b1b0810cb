import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { FederationConfigSetReq, FederationSettingsView } from '../federation/federation.contract';

export const AuthSettingsSubjects = {
  get: 'auth.settings.get',
  set: 'auth.settings.set',
  /** The administrator's document: the policy with the federation settings it relies on (auth asks federation). */
  configGet: 'auth.authentication-config.get',
  configSet: 'auth.authentication-config.set',
} as const;

/** Seed 001 authentication types: which secret proves who a user is. */
export const AuthType = z.enum(['pbx', 'netlogon', 'pbx+netlogon', 'oauth2', 'pbx+oauth2']);
export type AuthType = z.infer<typeof AuthType>;

/** `compare`: both screens show the code (the seed's behaviour); `transfer`: the approver types the new device's code. */
export const ApprovalMode = z.enum(['compare', 'transfer']);
export type ApprovalMode = z.infer<typeof ApprovalMode>;

/** The installation's authentication policy, decided by `auth` and shown at `/admin/config/authentication`. */
export const AuthSettings = z.object({
  type: AuthType,
  twoFactor: z.boolean(),
  approvalMode: ApprovalMode,
  /** How long a pending login waits for approval. */
  pendingTtlSeconds: z.number().int().min(60).max(3600),
  /** Users with no open session and no email address: may they log in without approval? */
  allowLoginWithoutApprovalPath: z.boolean(),
  /** Whether a federated login still needs two-factor approval. */
  federatedTwoFactor: z.object({ netlogon: z.boolean(), oauth2: z.boolean() }).strict(),
  passwordReset: z.boolean(),
  /** Lifetime of a password reset link. */
  passwordResetTtlSeconds: z.number().int().min(300).max(86_400),
  newDeviceNotice: z.boolean(),
  /** An admin may raise the minimum password length above the policy's floor (8 with two-factor, 15 without). */
  minPasswordLength: z.number().int().min(8).max(128).nullable(),
  /** A passkey sign-in with user verification is two factors (something held, something known or biometric): no approval. */
  passkeyCountsAsTwoFactor: z.boolean(),
  /** Accepting a new device needs a passkey with user verification on the approving device (no careless tap). */
  approvalRequiresPasskey: z.boolean(),
  /** The plain password route (`POST /auth/login`) for PBX passwords; off: only OPAQUE (Netlogon and external users keep it). */
  pbxPlainLogin: z.boolean(),
});
export type AuthSettings = z.infer<typeof AuthSettings>;

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  type: 'pbx',
  twoFactor: false,
  approvalMode: 'compare',
  pendingTtlSeconds: 600,
  allowLoginWithoutApprovalPath: false,
  federatedTwoFactor: { netlogon: true, oauth2: false },
  passwordReset: true,
  passwordResetTtlSeconds: 3600,
  newDeviceNotice: true,
  minPasswordLength: null,
  passkeyCountsAsTwoFactor: true,
  approvalRequiresPasskey: false,
  pbxPlainLogin: true,
};

/** A change names only what changes; the rest stays as stored. */
export const AuthSettingsSetReq = AuthSettings.extend({
  federatedTwoFactor: z.object({ netlogon: z.boolean().optional(), oauth2: z.boolean().optional() }).strict(),
  /** Not a setting: switch two-factor on even though no installation administrator could approve a new login (else two_factor_lockout). */
  force: z.boolean(),
})
  .partial()
  .strict();
export type AuthSettingsSetReq = z.infer<typeof AuthSettingsSetReq>;
export const AuthSettingsRes = z.object({ settings: AuthSettings });
/** Installation-wide: auth answers only installation administrators and system callers. */
export const AuthSettingsGetReq = z.object({ actor: Actor }).strict();
/** The change, and who asks for it. */
export const AuthSettingsSetRpcReq = AuthSettingsSetReq.extend({ actor: Actor }).strict();

/** GET /admin/config/authentication: the auth policy plus the federation settings (secrets never shown). */
export const AuthenticationConfig = AuthSettings.extend({
  netlogon: FederationSettingsView.shape.netlogon,
  oidc: FederationSettingsView.shape.oidc,
});
export type AuthenticationConfig = z.infer<typeof AuthenticationConfig>;
/** Read-only fields of the GET answer: accepted so a GET can be sent back as a PUT, and ignored. */
const ReadOnlyFlag = z.boolean().optional().describe('read-only: accepted and ignored');
/**
 * PUT /admin/config/authentication: any subset, e.g. `{ type: "pbx", twoFactor: true }`, or the whole
 * GET answer. A type that needs a domain controller or an issuer is refused until one is configured.
 */
export const AuthenticationConfigChange = AuthSettingsSetReq.extend({
  netlogon: FederationConfigSetReq.shape.netlogon.unwrap().extend({ servicePasswordSet: ReadOnlyFlag }).strict().optional(),
  oidc: FederationConfigSetReq.shape.oidc.unwrap().extend({ clientSecretSet: ReadOnlyFlag }).strict().optional(),
}).strict();
export type AuthenticationConfigChange = z.infer<typeof AuthenticationConfigChange>;
export const AuthenticationConfigRes = z.object({ config: AuthenticationConfig });

export const authSettingsContract = {
  [AuthSettingsSubjects.get]: request(AuthSettingsGetReq, AuthSettingsRes),
  [AuthSettingsSubjects.set]: request(AuthSettingsSetRpcReq, AuthSettingsRes),
  [AuthSettingsSubjects.configGet]: request(AuthSettingsGetReq, AuthenticationConfigRes),
  [AuthSettingsSubjects.configSet]: request(AuthenticationConfigChange.extend({ actor: Actor }).strict(), AuthenticationConfigRes),
};
