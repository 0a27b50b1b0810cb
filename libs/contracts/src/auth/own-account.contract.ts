import { z } from 'zod';
import { request } from '../contract';
import { Language, Uuid } from '../common/schemas';
import { TypedPassword } from './auth-schemas';

/** The account's own settings (issue 19, the user's side of seed 002's "Account security"). */
export const OwnAccountSubjects = {
  passwordChange: 'auth.own-account.password-change',
  autodeleteGet: 'auth.own-account.autodelete-get',
  autodeleteSet: 'auth.own-account.autodelete-set',
} as const;

/** How recent a sign-in lets a user change the password without typing the current one. */
export const RECENT_SIGN_IN_MS = 5 * 60_000;

/** POST /me/password: the current password, or a sign-in of this session within the last five minutes. */
export const OwnPasswordBody = z
  .object({
    currentPassword: TypedPassword.optional(),
    newPassword: TypedPassword,
    /** Also ends every other session of the user (this one stays). */
    endOtherSessions: z.boolean().optional(),
  })
  .strict();
export type OwnPasswordBody = z.infer<typeof OwnPasswordBody>;
export const OwnPasswordRes = z.object({ changed: z.literal(true), sessionsEnded: z.number().int() });

/** PATCH /me/profile: what a user may change about themselves (the email goes through POST /me/email). */
export const OwnProfileBody = z
  .object({ displayName: z.string().trim().max(200).optional(), language: Language.optional() })
  .strict()
  .refine((body) => body.displayName !== undefined || body.language !== undefined, { message: 'nothing to change' });

/** POST /me/email: the new address gets a link; it replaces the old one only once confirmed. */
export const OwnEmailBody = z.object({ email: z.email().max(320) }).strict();

export const OwnEmailReply = z.object({ pendingEmail: z.string(), expiresAt: z.string() });
/** POST /account/email/:token: the page's form (`confirm=yes`) or JSON `{}`. */
export const EmailConfirmBody = z.object({ confirm: z.string().max(10).optional() }).strict();
export const EmailConfirmReply = z.object({ email: z.string() });

/** POST /me/logout-others: "Log out all other devices". */
export const LogoutOthersRes = z.object({ sessionsEnded: z.number().int() });

export const PasswordChangeReq = z
  .object({ userId: Uuid, currentPassword: TypedPassword.optional(), recentSignIn: z.boolean(), newPassword: TypedPassword })
  .strict();
export const PasswordChangeRes = z.object({ changed: z.literal(true) });

/** GET|PUT /me/autodelete (external users, seed 002): deleted as soon as the session ends, or kept. */
export const AutodeleteBody = z.object({ autodelete: z.boolean() }).strict();
export const AutodeleteRes = z.object({ autodelete: z.boolean() });
export const AutodeleteGetReq = z.object({ userId: Uuid }).strict();
export const AutodeleteSetReq = z.object({ userId: Uuid, autodelete: z.boolean() }).strict();

export const ownAccountContract = {
  [OwnAccountSubjects.autodeleteGet]: request(AutodeleteGetReq, AutodeleteRes),
  [OwnAccountSubjects.autodeleteSet]: request(AutodeleteSetReq, AutodeleteRes),
  [OwnAccountSubjects.passwordChange]: request(PasswordChangeReq, PasswordChangeRes),
};
