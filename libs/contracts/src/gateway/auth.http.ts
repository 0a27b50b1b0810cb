import { z } from 'zod';
import { Device } from '../sessions/sessions.contract';
import { ApiKeyLifetimeDays, PASSWORD_MAX_LENGTH } from '../auth/auth.contract';

/** The lifetime a client asks for (seed 002); none: 24 h, then the session ends. */
export const ClientApplication = z.enum(['refreshable', 'longLogin']);
export type ClientApplication = z.infer<typeof ClientApplication>;

/** POST /auth/login (DESIGN.md "Login and sessions"). */
export const LoginBody = z
  .object({
    username: z.string().min(1).max(320),
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4),
    device: Device,
    application: ClientApplication.optional(),
    subid: z.string().min(1).max(100).optional(),
  })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const TokenBody = z
  .object({ nonce: z.string().min(1).max(200), proof: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits') })
  .strict();
export const SessionIdParam = z.uuid();

/** POST /me/api-keys — `expiresInDays` 1..365, 90 when left out. */
export const ApiKeyBody = z.object({ name: z.string().trim().min(1).max(100), expiresInDays: ApiKeyLifetimeDays.optional() }).strict();
export const ApiKeyIdParam = z.uuid();
export const ExternalUserBody = z
  .object({ domain: z.string().min(1).max(253).optional(), displayName: z.string().max(200).optional() })
  .strict();
