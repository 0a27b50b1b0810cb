import { z } from 'zod';

/** Schema fragments the auth contracts share: one definition each of a typed password, a client address, a sub-id, a decision. */

/** Longest password accepted; longer ones are refused, never silently truncated. */
export const PASSWORD_MAX_LENGTH = 1024;
/** A password as typed; the length is checked here in UTF-16 units (a character may take 4), the policy counts characters. */
export const TypedPassword = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH * 4);
/** The client's address as the gateway saw it. */
export const ClientAddress = z.string().max(100);
/** Seed 000: the client's own label for a session (e.g. a phone app's instance). */
export const SubId = z.string().min(1).max(100);
/** An approver's answer to a login waiting for approval. */
export const Decision = z.enum(['accept', 'reject']);
export type Decision = z.infer<typeof Decision>;
/** Which secret proved a login; it decides whether two-factor approval still applies. */
export const LoginMethod = z.enum(['password', 'netlogon', 'oauth2', 'passkey']);
export type LoginMethod = z.infer<typeof LoginMethod>;
