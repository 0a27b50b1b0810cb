import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../auth/auth.contract';
import { Domain } from '../common/schemas';
import { AppLoginChallenge } from './apps.contract';
import { UserCreateReq, UserPatch } from './directory.contract';

/** `?offset=&limit=` of every list under /admin (limit 1..200, 50 by default); `domain` picks another domain (installation admins). */
export const AdminListQuery = z
  .object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    domain: Domain.optional(),
    q: z.string().max(200).optional(),
  })
  .strict();
export type AdminListQuery = z.infer<typeof AdminListQuery>;

/** `?domain=` on /admin routes that name one object: the domain it lives in (the admin's own by default). */
export const AdminDomainQuery = z.object({ domain: Domain.optional() }).strict();

/** POST /admin/users: `{ username, domain?, email?, displayName?, language?, password?, admin?, templates?, apps?, devices? }`. */
export const AdminUserBody = UserCreateReq.omit({ external: true, actor: true })
  .extend({
    domain: Domain.optional(),
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4)
      .optional(),
  })
  .strict();
export type AdminUserBody = z.infer<typeof AdminUserBody>;

/** PATCH /admin/users/:id: any of the profile, the admin flag, a new password and the permissions. */
export const AdminUserPatchBody = UserPatch.extend({
  password: z
    .string()
    .min(1)
    .max(PASSWORD_MAX_LENGTH * 4)
    .optional(),
}).strict();
export type AdminUserPatchBody = z.infer<typeof AdminUserPatchBody>;

/** POST /me/apps/:appId/login. */
export const AppLoginBody = z.object({ challenge: AppLoginChallenge }).strict();
