import { z } from 'zod';
import { request } from '../contract';
import { AdminActor } from '../common/actor';
import { Uuid } from '../common/schemas';
import { UserDetailsRes } from '../directory/directory.contract';
import { AdminUserBody, AdminUserPatchBody } from '../directory/directory.http';

/**
 * Accounts as administrators make them: the profile and permissions kept by `directory`, the
 * password kept by `auth`. `auth` runs both steps, so a refused password leaves no half-made user.
 */
export const AccountsSubjects = {
  create: 'auth.account.create',
  update: 'auth.account.update',
} as const;

/** POST /admin/users and who asks; `domain` left out: the administrator's own. */
export const AccountCreateReq = AdminUserBody.extend({ actor: AdminActor }).strict();
export type AccountCreateReq = z.infer<typeof AccountCreateReq>;

/** PATCH /admin/users/:id and who asks; a user outside the administrator's domains answers not_found. */
export const AccountUpdateReq = z.object({ actor: AdminActor, userId: Uuid, patch: AdminUserPatchBody }).strict();
export type AccountUpdateReq = z.infer<typeof AccountUpdateReq>;

export const accountsContract = {
  [AccountsSubjects.create]: request(AccountCreateReq, UserDetailsRes),
  [AccountsSubjects.update]: request(AccountUpdateReq, UserDetailsRes),
};
