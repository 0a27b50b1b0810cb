import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../auth/auth.contract';

/** POST /me/approvals/:pendingId — `code` is required in `transfer` mode when accepting. */
export const ApprovalDecisionBody = z
  .object({ decision: z.enum(['accept', 'reject']), code: z.string().trim().min(1).max(32).optional() })
  .strict();
/** POST /approvals/email/:token — a form post from the approval page (or JSON). */
export const EmailDecisionBody = z.object({ decision: z.enum(['accept', 'reject']), code: z.string().trim().max(32).optional() }).strict();
export const LinkTokenParam = z.string().regex(/^[A-Za-z0-9_-]{16,200}$/, 'not a link token');
export const PendingIdParam = z.uuid();

/** POST /auth/password-reset */
export const PasswordResetBody = z.object({ login: z.string().trim().min(1).max(320) }).strict();
/** POST /auth/password-reset/:token — JSON from a client or the link page's form. */
export const PasswordResetCompleteBody = z
  .object({
    newPassword: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4),
    endOtherSessions: z.union([z.boolean(), z.enum(['on', 'true', 'false'])]).optional(),
  })
  .strict();
