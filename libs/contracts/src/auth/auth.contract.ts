import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';
import { Domain, IsoDate, Uuid } from '../common/schemas';
import { User } from '../directory/directory.contract';
import { Device, PrincipalSchema, SessionApplication } from '../sessions/sessions.contract';

export const AuthSubjects = {
  health: healthSubject('auth'),
  loginPassword: 'auth.login.password',
  methods: 'auth.methods.get',
  passwordSet: 'auth.password.set',
  apiKeyCreate: 'auth.api-key.create',
  apiKeyList: 'auth.api-key.list',
  apiKeyRevoke: 'auth.api-key.revoke',
  apiKeyVerify: 'auth.api-key.verify',
  externalUserCreate: 'auth.external-user.create',
} as const;

/** Longest password accepted; longer ones are refused, never silently truncated. */
export const PASSWORD_MAX_LENGTH = 1024;

export const PasswordLoginReq = z
  .object({
    username: z.string().min(1).max(320),
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4),
    device: Device,
    application: SessionApplication,
    subid: z.string().min(1).max(100).optional(),
    ip: z.string().max(100),
    /** The requesting device proved a live session (its access token): a known device of that user for throttling. */
    deviceSession: z.object({ userId: Uuid, sessionId: Uuid }).strict().optional(),
  })
  .strict();
export const ActiveLoginRes = z.object({
  status: z.literal('active'),
  session: z.object({ id: Uuid, password: z.string() }),
  accessToken: z.string(),
  expiresAt: IsoDate,
  user: User,
});
export type ActiveLoginRes = z.infer<typeof ActiveLoginRes>;

export const AuthMethodsRes = z.object({
  password: z.boolean(),
  netlogon: z.boolean(),
  oauth2: z.object({ providerName: z.string() }).nullable(),
  twoFactor: z.boolean(),
  /** "Forgot password?" is offered: the built-in reset by email, or the page below. */
  passwordReset: z.boolean(),
  /**
   * Seed 000 "Reset Password Page" (PBX/Config/myApps of the installation's domain): when set, the
   * "Forgot password?" link leads to this page instead of the built-in form.
   */
  resetPasswordPage: z.string().nullable(),
  /** Issue 22: the plain route still takes PBX passwords (false: OPAQUE only, `plain_login_disabled`). */
  pbxPlainLogin: z.boolean().optional(),
});
export type AuthMethods = z.infer<typeof AuthMethodsRes>;

export const PasswordSetReq = z
  .object({
    userId: Uuid,
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4),
  })
  .strict();
export const PasswordSetRes = z.object({ ok: z.literal(true) });

/** API key lifetime in days: 90 unless asked otherwise, never beyond a year (README "Account recovery and API keys"). */
export const API_KEY_DEFAULT_DAYS = 90;
export const API_KEY_MAX_DAYS = 365;
export const ApiKeyLifetimeDays = z.number().int().min(1).max(API_KEY_MAX_DAYS);

export const ApiKeyView = z.object({ id: Uuid, name: z.string(), createdAt: IsoDate, expiresAt: IsoDate, lastUsedAt: IsoDate.nullable() });
export type ApiKeyView = z.infer<typeof ApiKeyView>;
/** `sessionId`: keys are made from an interactive session only, never from another API key. */
export const ApiKeyCreateReq = z
  .object({
    userId: Uuid,
    sessionId: Uuid,
    name: z.string().min(1).max(100),
    expiresInDays: ApiKeyLifetimeDays.default(API_KEY_DEFAULT_DAYS),
  })
  .strict();
export const ApiKeyCreateRes = z.object({ apiKey: ApiKeyView, key: z.string() });
export const ApiKeyListReq = z.object({ userId: Uuid }).strict();
export const ApiKeyListRes = z.object({ apiKeys: z.array(ApiKeyView) });
/** From an API key (`viaApiKeyId`) only that key itself may be revoked; other keys need a session. */
export const ApiKeyRevokeReq = z.object({ userId: Uuid, apiKeyId: Uuid, viaApiKeyId: Uuid.optional() }).strict();
export const ApiKeyRevokeRes = z.object({ revoked: z.boolean() });
export const ApiKeyVerifyReq = z.object({ keyHash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export const ApiKeyVerifyRes = z.object({ principal: PrincipalSchema.nullable() });

/** auth checks that the actor may act in `domain` (domain administrators: their own only). */
export const ExternalUserCreateReq = z.object({ actor: Actor, domain: Domain, displayName: z.string().max(200).optional() }).strict();
export const ExternalUserCreateRes = z.object({ user: User, expiresAt: IsoDate });

export const authContract = {
  [AuthSubjects.health]: request(HealthPingReq, HealthPingRes),
  [AuthSubjects.methods]: request(z.object({}).strict(), AuthMethodsRes),
  [AuthSubjects.passwordSet]: request(PasswordSetReq, PasswordSetRes),
  [AuthSubjects.apiKeyCreate]: request(ApiKeyCreateReq, ApiKeyCreateRes),
  [AuthSubjects.apiKeyList]: request(ApiKeyListReq, ApiKeyListRes),
  [AuthSubjects.apiKeyRevoke]: request(ApiKeyRevokeReq, ApiKeyRevokeRes),
  [AuthSubjects.apiKeyVerify]: request(ApiKeyVerifyReq, ApiKeyVerifyRes),
  [AuthSubjects.externalUserCreate]: request(ExternalUserCreateReq, ExternalUserCreateRes),
};
