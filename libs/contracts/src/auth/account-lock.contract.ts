import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { Domain, IsoDate, Uuid } from '../common/schemas';

export const AccountLockSubjects = {
  accountLockGet: 'auth.account-lock.get',
  accountLockLift: 'auth.account-lock.lift',
} as const;

/**
 * A user's login waits (README "Throttling and lockout"): the account-wide lock and the waits of their
 * login from single addresses or devices. With an `actor`, auth asks directory whether the
 * administrator reaches the user: a user outside the actor's domains answers not_found.
 */
export const AccountLockReq = z.object({ userId: Uuid, actor: Actor.optional() }).strict();

export const AccountLockView = z.object({
  /** Some wait applies now: to strangers' addresses (account) or to an address or device of their own (login). */
  locked: z.boolean(),
  /** When the longest wait ends; null when none applies. */
  lockedUntil: IsoDate.nullable(),
  /** Consecutive wrong passwords of the account from everywhere. */
  accountFailures: z.number().int().min(0),
  accountLocked: z.boolean(),
  /** Login + address (or device) counters of this account that make their address wait now. */
  loginLocks: z.number().int().min(0),
});
export type AccountLockView = z.infer<typeof AccountLockView>;

/** Lifting starts every counter of the account afresh; what applied before is answered. */
export const AccountLockLiftRes = z.object({ lifted: z.boolean(), before: AccountLockView });
/** `domain`: with an `actor`, the user's domain (for the administrator's audit row). */
export const AccountLockLiftReply = AccountLockLiftRes.extend({ domain: Domain.optional() });

export const accountLockContract = {
  [AccountLockSubjects.accountLockGet]: request(AccountLockReq, AccountLockView),
  [AccountLockSubjects.accountLockLift]: request(AccountLockReq, AccountLockLiftReply),
};
