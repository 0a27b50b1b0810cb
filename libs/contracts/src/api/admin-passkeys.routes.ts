import { z } from 'zod';
import { PasskeyIdParam } from '../gateway/passkeys.http';
import { natsReply } from './nats-replies';
import { routes } from './route';

const admin = ['bearer', 'apiKey'] as const;

/** An administrator sees and removes a user's passkeys (a lost phone, a clone alarm), within their domain scope. */
export const adminPasskeysRoutes = routes({
  'GET /admin/users/:id/passkeys': {
    summary: "A user's passkeys, with creation and last use",
    tag: 'admin',
    security: admin,
    admin: true,
    params: z.object({ id: z.uuid() }),
    reply: natsReply('auth.passkey.list'),
    errors: ['not_found'],
  },
  'DELETE /admin/users/:id/passkeys/:passkeyId': {
    summary: "Remove one of a user's passkeys",
    tag: 'admin',
    security: admin,
    admin: true,
    params: z.object({ id: z.uuid(), passkeyId: PasskeyIdParam }),
    reply: z.object({ removed: z.literal(true) }),
    errors: ['not_found'],
  },
});
