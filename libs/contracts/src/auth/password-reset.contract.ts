import { z } from 'zod';
import { request } from '../contract';
import { ClientAddress, TypedPassword } from './auth-schemas';
import { EmailToken } from './approvals.contract';

/** "Forgot password?": a mailed link that sets one new password (seed 000 "Resetting passwords"). */
export const PasswordResetSubjects = {
  request: 'auth.password-reset.request',
  complete: 'auth.password-reset.complete',
} as const;

export const ResetRequestReq = z.object({ login: z.string().min(1).max(320), ip: ClientAddress }).strict();
export const ResetRequestRes = z.object({ accepted: z.literal(true) });
export const ResetCompleteReq = z
  .object({
    token: EmailToken,
    newPassword: TypedPassword,
    endOtherSessions: z.boolean().default(false),
    ip: ClientAddress,
  })
  .strict();
/** With `endOtherSessions` every session and every API key of the user end (`apiKeysRevoked`). */
export const ResetCompleteRes = z.object({ changed: z.literal(true), sessionsEnded: z.number().int(), apiKeysRevoked: z.number().int() });

export const passwordResetContract = {
  [PasswordResetSubjects.request]: request(ResetRequestReq, ResetRequestRes),
  [PasswordResetSubjects.complete]: request(ResetCompleteReq, ResetCompleteRes),
};
