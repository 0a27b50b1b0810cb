import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';
import { Domain, IsoDate, Uuid } from '../common/schemas';
import { User } from '../directory/directory.contract';
import { PrincipalSchema } from '../sessions/sessions.contract';
import { TypedPassword } from './auth-schemas';

/** Kept here for the gateway's HTTP bodies that import it from this file. */
export { PASSWORD_MAX_LENGTH } from './auth-schemas';

export const AuthSubjects = {
  health: healthSubject('auth'),
  passwordSet: 'auth.password.set',
  apiKeyCreate: 'auth.api-key.create',
  apiKeyList: 'auth.api-key.list',
  apiKeyRevoke: 'auth.api-key.revoke',
  apiKeyVerify: 'auth.api-key.verify',
  externalUserCreate: 'auth.external-user.create',
} as const;

export const PasswordSetReq = z
  .object({
    userId: Uuid,
    password: TypedPassword,
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
/** `actor`: an administrator's request; a user outside the actor's domains answers not_found (directory decides). */
export const ApiKeyListReq = z.object({ userId: Uuid, actor: Actor.optional() }).strict();
export const ApiKeyListRes = z.object({ apiKeys: z.array(ApiKeyView) });
/**
 * From an API key (`viaApiKeyId`) only that key itself may be revoked; other keys need a session.
 * `actor`: an administrator's request, as for the list.
 */
export const ApiKeyRevokeReq = z.object({ userId: Uuid, apiKeyId: Uuid, viaApiKeyId: Uuid.optional(), actor: Actor.optional() }).strict();
/** `domain`: with an `actor`, the user's domain (for the administrator's audit row). */
export const ApiKeyRevokeRes = z.object({ revoked: z.boolean(), domain: Domain.optional() });
export const ApiKeyVerifyReq = z.object({ keyHash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export const ApiKeyVerifyRes = z.object({ principal: PrincipalSchema.nullable() });

/** auth checks that the actor may act in `domain` (domain administrators: their own only). */
export const ExternalUserCreateReq = z.object({ actor: Actor, domain: Domain, displayName: z.string().max(200).optional() }).strict();
export const ExternalUserCreateRes = z.object({ user: User, expiresAt: IsoDate });

export const authContract = {
  [AuthSubjects.health]: request(HealthPingReq, HealthPingRes),
  [AuthSubjects.passwordSet]: request(PasswordSetReq, PasswordSetRes),
  [AuthSubjects.apiKeyCreate]: request(ApiKeyCreateReq, ApiKeyCreateRes),
  [AuthSubjects.apiKeyList]: request(ApiKeyListReq, ApiKeyListRes),
  [AuthSubjects.apiKeyRevoke]: request(ApiKeyRevokeReq, ApiKeyRevokeRes),
  [AuthSubjects.apiKeyVerify]: request(ApiKeyVerifyReq, ApiKeyVerifyRes),
  [AuthSubjects.externalUserCreate]: request(ExternalUserCreateReq, ExternalUserCreateRes),
};
