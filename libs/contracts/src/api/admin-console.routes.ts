import { z } from 'zod';
import { Uuid } from '../common/schemas';
import { AccountLockLiftRes, AccountLockView } from '../auth/account-lock.contract';
import { ApiKeyListRes } from '../auth/auth.contract';
import { routes } from './route';

const UserParams = z.object({ id: Uuid });
const admin = { tag: 'admin', security: ['bearer', 'apiKey'], admin: true } as const;

/**
 * What the admin console does about a user's access besides the profile: their login waits (README
 * "Throttling and lockout") and their API keys. A user of a domain the administrator does not manage
 * answers not_found, as an unknown id does. Lifting and revoking are audited as `admin.change`.
 */
export const adminConsoleRoutes = routes({
  'GET /admin/users/:id/lock': {
    ...admin,
    summary: "A user's login waits: the account-wide lock and the waits of their login from single addresses or devices",
    params: UserParams,
    reply: AccountLockView,
    errors: ['not_found'],
  },
  'DELETE /admin/users/:id/lock': {
    ...admin,
    summary: "Lift a user's login waits: every counter of the account starts afresh (`lifted: false`: none applied)",
    params: UserParams,
    reply: AccountLockLiftRes,
    errors: ['not_found'],
  },
  'GET /admin/users/:id/api-keys': {
    ...admin,
    summary: "A user's API keys (never the keys themselves)",
    params: UserParams,
    reply: ApiKeyListRes,
    errors: ['not_found'],
  },
  'DELETE /admin/users/:id/api-keys/:keyId': {
    ...admin,
    summary: "Revoke one of a user's API keys",
    params: z.object({ id: Uuid, keyId: Uuid }),
    reply: z.object({ revoked: z.literal(true) }),
    errors: ['not_found'],
  },
});
