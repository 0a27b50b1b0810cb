import { z } from 'zod';
import { Uuid } from '../common/schemas';
import { UserDetails, UserListRes } from '../directory/directory.contract';
import { AdminListQuery, AdminUserBody, AdminUserPatchBody } from '../directory/directory.http';
import { HomeScreenBody, HomeScreenView } from '../directory/home-screen.contract';
import { ListRes } from '../sessions/sessions.contract';
import { routes } from './route';

const UserParams = z.object({ id: Uuid });
const admin = { tag: 'admin', security: ['bearer', 'apiKey'], admin: true } as const;

/**
 * `/admin/users`: users of the administrator's domain (installation administrators: of any domain).
 * A user of a domain the administrator does not manage answers not_found, as an unknown id does.
 */
export const adminUserRoutes = routes({
  'POST /admin/users': {
    ...admin,
    summary: 'Create a user, with a password when one is given (a refused password leaves no user behind)',
    body: AdminUserBody,
    status: 201,
    reply: UserDetails,
    errors: ['user_exists', 'email_exists', 'weak_password'],
  },
  'GET /admin/users': {
    ...admin,
    summary: 'One page of users of a domain; `q`: those whose name, email or display name starts with it (ignoring case)',
    query: AdminListQuery,
    reply: UserListRes,
    errors: [],
  },
  'GET /admin/users/:id': {
    ...admin,
    summary: 'One user with their permissions',
    params: UserParams,
    reply: UserDetails,
    errors: ['not_found'],
  },
  'PATCH /admin/users/:id': {
    ...admin,
    summary: "Change a user's profile, admin flag, permissions or password",
    params: UserParams,
    body: AdminUserPatchBody,
    reply: UserDetails,
    errors: ['not_found', 'email_exists', 'weak_password', 'unprocessable'],
  },
  'DELETE /admin/users/:id': {
    ...admin,
    summary: 'Delete a user; their sessions, keys and credentials go with them',
    params: UserParams,
    reply: z.object({ deleted: z.literal(true) }),
    errors: ['not_found'],
  },
  'GET /admin/users/:id/homescreen': {
    ...admin,
    summary: "A user's home screen as stored, items of apps the user lost included",
    params: UserParams,
    reply: HomeScreenView,
    errors: ['not_found'],
  },
  'PUT /admin/users/:id/homescreen': {
    ...admin,
    summary: "Replace a user's home screen (`raw` or `groups`); their sessions hear `homescreen.changed`",
    params: UserParams,
    body: HomeScreenBody,
    reply: HomeScreenView,
    errors: ['not_found', 'homescreen_too_large', 'homescreen_malformed'],
  },
  'GET /admin/users/:id/sessions': {
    ...admin,
    summary: "A user's live sessions",
    params: UserParams,
    reply: ListRes,
    errors: ['not_found'],
  },
  'DELETE /admin/users/:id/sessions/:sessionId': {
    ...admin,
    summary: "End one of a user's sessions",
    params: z.object({ id: Uuid, sessionId: Uuid }),
    reply: z.object({ revoked: z.literal(true) }),
    errors: ['not_found'],
  },
});
