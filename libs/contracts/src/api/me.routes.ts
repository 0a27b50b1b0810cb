import { z } from 'zod';
import { User } from '../directory/directory.contract';
import { AppLoginBody } from '../directory/directory.http';
import { HomeScreenBody } from '../directory/home-screen.contract';
import { PresenceBody } from '../directory/presence.contract';
import { ApiName, AppId } from '../directory/registry.schemas';
import { ApiKeyBody, ApiKeyIdParam } from '../gateway/auth.http';
import { PasskeyIdParam, PasskeyRegisterBody } from '../gateway/passkeys.http';
import { natsReply } from './nats-replies';
import { routes } from './route';

/** `GET /me`: the user's profile and SIP URI. */
export const ProfileReply = User.extend({ sipUri: z.string() });
export type ProfileReply = z.infer<typeof ProfileReply>;

const user = ['bearer', 'apiKey'] as const;

/** The user's own data: profile, apps, home screen, presence, client settings, sessions, API keys and passkeys. */
export const meRoutes = routes({
  'GET /me': { summary: "The user's profile", tag: 'me', security: user, reply: ProfileReply, errors: ['not_found'] },
  'GET /me/apps': {
    summary: '"All apps": what the user may run (hidden apps left out, phone apps through their devices)',
    tag: 'me',
    security: user,
    reply: natsReply('directory.user-apps.list'),
    errors: [],
  },
  'GET /me/api-providers/:api': {
    summary: "The user's apps that provide an API",
    tag: 'me',
    security: user,
    params: z.object({ api: ApiName }),
    reply: natsReply('directory.api-providers.list'),
    errors: [],
  },
  'POST /me/apps/:appId/login': {
    summary: "App login: the digest the app's backend verifies with its shared secret",
    tag: 'me',
    security: user,
    params: z.object({ appId: AppId }),
    body: AppLoginBody,
    reply: natsReply('directory.app.login'),
    errors: ['not_found', 'forbidden'],
  },
  'GET /me/client-config': {
    summary: "The myApps settings the admin deployed for the user's domain",
    tag: 'me',
    security: user,
    reply: natsReply('directory.client-config.get'),
    errors: [],
  },
  'GET /me/homescreen': {
    summary: "The user's home screen: the raw string and its groups",
    tag: 'me',
    security: user,
    reply: natsReply('directory.homescreen.get'),
    errors: [],
  },
  'PUT /me/homescreen': {
    summary: 'Replace the home screen (`raw` or `groups`); every session of the user hears `homescreen.changed`',
    tag: 'me',
    security: user,
    body: HomeScreenBody,
    reply: natsReply('directory.homescreen.set'),
    errors: ['homescreen_too_large', 'homescreen_malformed'],
  },
  'GET /me/presence': {
    summary: "The user's presence `{ status, note? }`",
    tag: 'me',
    security: user,
    reply: natsReply('directory.presence.get'),
    errors: [],
  },
  'PUT /me/presence': {
    summary: 'Set the presence; every session and open app hears `presence.changed`',
    tag: 'me',
    security: user,
    body: PresenceBody,
    reply: natsReply('directory.presence.set'),
    errors: [],
  },
  'GET /me/sessions': {
    summary: "Account security: the user's sessions, this device marked",
    tag: 'sessions',
    security: user,
    reply: natsReply('sessions.session.list'),
    errors: [],
  },
  'DELETE /me/sessions/:id': {
    summary: "Log out one of the user's sessions (`current`: this one); its device is signed out at once",
    tag: 'sessions',
    security: user,
    params: z.object({ id: z.union([z.literal('current'), z.uuid()]) }),
    reply: z.object({ revoked: z.literal(true) }),
    errors: ['not_found'],
  },
  'GET /me/api-keys': {
    summary: "The user's API keys (never the keys themselves)",
    tag: 'api-keys',
    security: user,
    reply: natsReply('auth.api-key.list'),
    errors: [],
  },
  'POST /me/api-keys': {
    summary: 'Make an API key (shown once; 90 days unless asked otherwise, at most 365), from a signed-in session',
    tag: 'api-keys',
    security: ['bearer'],
    body: ApiKeyBody,
    status: 201,
    reply: natsReply('auth.api-key.create'),
    errors: ['forbidden', 'interactive_session_required'],
  },
  'DELETE /me/api-keys/:id': {
    summary: "Revoke one of the user's API keys",
    tag: 'api-keys',
    security: user,
    params: z.object({ id: ApiKeyIdParam }),
    reply: z.object({ revoked: z.literal(true) }),
    errors: ['not_found', 'interactive_session_required'],
  },
  'GET /me/passkeys': {
    summary: "The user's passkeys with creation and last use",
    tag: 'passkeys',
    security: user,
    reply: natsReply('auth.passkey.list'),
    errors: [],
  },
  'POST /me/passkeys/options': {
    summary: 'Options for navigator.credentials.create(), from a signed-in device',
    tag: 'passkeys',
    security: ['bearer'],
    reply: natsReply('auth.passkey.register-options'),
    errors: ['forbidden', 'interactive_session_required'],
  },
  'POST /me/passkeys': {
    summary: 'Add a passkey: the answer to the options, with a name',
    tag: 'passkeys',
    security: ['bearer'],
    body: PasskeyRegisterBody,
    status: 201,
    reply: natsReply('auth.passkey.register'),
    errors: ['forbidden', 'interactive_session_required', 'passkey_invalid', 'conflict'],
  },
  'DELETE /me/passkeys/:id': {
    summary: "Remove one of the user's passkeys",
    tag: 'passkeys',
    security: ['bearer'],
    params: z.object({ id: PasskeyIdParam }),
    reply: z.object({ removed: z.literal(true) }),
    errors: ['not_found', 'forbidden', 'interactive_session_required'],
  },
});
export type MeRoutes = typeof meRoutes;
