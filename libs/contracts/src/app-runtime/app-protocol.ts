/**
 * The window-message protocol between the web client and the apps in its iframes (seed 000,
 * "App runtime"), declared once and checked on both sides: the client (apps/web, app-host.ts)
 * and the app library (libs/app-sdk, served at /sdk/app.js). zod/mini keeps both bundles small.
 *
 * Every message carries `gatehouse: APP_PROTOCOL` and a `type`. Requests from an app carry an
 * `id` that the client's `reply` repeats. Unknown types, versions or fields are dropped.
 */
import * as z from 'zod/mini';

/** The protocol's name and version; a message of another version is ignored by both sides. */
export const APP_PROTOCOL = 'app/1';

/** The errors an app sees, each with a message (README "Apps inside the client"). */
export const AppErrorCodes = [
  'not_connected',
  'no_provider',
  'not_permitted',
  'timeout',
  'cancelled',
  'invalid_message',
  'login_failed',
  'provider_error',
] as const;
export type AppErrorCode = (typeof AppErrorCodes)[number];

export const ColorScheme = z.enum(['light', 'dark']);
export const PresenceStatus = z.enum(['available', 'away', 'busy', 'dnd']);
/** The user's own presence: a status and an optional note. */
export const Presence = z.strictObject({ status: PresenceStatus, note: z.optional(z.string().check(z.maxLength(200))) });
export type Presence = z.infer<typeof Presence>;

const Id = z.string().check(z.minLength(1), z.maxLength(64));
const ApiName = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/));
const AppIdPattern = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/));
/** Query or fragment of a home-screen item: percent-encoded, no separators of the home-screen format. */
const ItemPart = z.string().check(z.maxLength(1024), z.regex(/^[^,#?\s\u0000-\u001f\u007f]*$/));
const v = z.literal(APP_PROTOCOL);

/** Messages an app sends to the client (window.parent.postMessage). */
export const AppToClient = z.discriminatedUnion('type', [
  z.strictObject({ gatehouse: v, type: z.literal('connect'), id: Id }),
  z.strictObject({ gatehouse: v, type: z.literal('login'), id: Id, challenge: z.string().check(z.minLength(1), z.maxLength(1024)) }),
  z.strictObject({ gatehouse: v, type: z.literal('provide'), id: Id, api: ApiName }),
  z.strictObject({
    gatehouse: v,
    type: z.literal('call'),
    id: Id,
    api: ApiName,
    message: z.optional(z.unknown()),
    target: z.union([z.literal('ask'), z.literal('all'), AppIdPattern]),
  }),
  /** The provider's answer to a `request` the client delivered. */
  z.strictObject({
    gatehouse: v,
    type: z.literal('result'),
    id: Id,
    result: z.optional(z.unknown()),
    error: z.optional(z.string().check(z.maxLength(500))),
  }),
  z.strictObject({
    gatehouse: v,
    type: z.literal('attach'),
    id: Id,
    label: z.string().check(z.minLength(1), z.maxLength(100)),
    query: z.optional(ItemPart),
    fragment: z.optional(ItemPart),
  }),
  z.strictObject({ gatehouse: v, type: z.literal('badge'), id: Id, count: z.int().check(z.minimum(0), z.maximum(99_999)) }),
  /** The presence shown on the app's tiles for one item (`query` as attached) or the app itself; null clears it. */
  z.strictObject({
    gatehouse: v,
    type: z.literal('itemPresence'),
    id: Id,
    query: z.optional(ItemPart),
    status: z.nullable(PresenceStatus),
  }),
]);
export type AppToClient = z.infer<typeof AppToClient>;

export const AppUser = z.strictObject({ username: z.string(), domain: z.string(), displayName: z.string() });
export const AppError = z.strictObject({ code: z.enum(AppErrorCodes), message: z.string() });
export type AppError = z.infer<typeof AppError>;

/** Messages the client sends to an app (frame.contentWindow.postMessage to the app's own origin). */
export const ClientToApp = z.discriminatedUnion('type', [
  /** Answer to a request of the app: `result` or `error`. */
  z.strictObject({ gatehouse: v, type: z.literal('reply'), id: Id, result: z.optional(z.unknown()), error: z.optional(AppError) }),
  z.strictObject({ gatehouse: v, type: z.literal('colorScheme'), scheme: ColorScheme }),
  z.strictObject({ gatehouse: v, type: z.literal('language'), language: z.string() }),
  z.strictObject({ gatehouse: v, type: z.literal('presence'), presence: Presence }),
  /** A `call` of another app delivered to this provider; answered with `result` and the same id. */
  z.strictObject({ gatehouse: v, type: z.literal('request'), id: Id, api: ApiName, from: AppIdPattern, message: z.optional(z.unknown()) }),
]);
export type ClientToApp = z.infer<typeof ClientToApp>;

/** What `connect` resolves with. */
export const ConnectResult = z.strictObject({
  user: AppUser,
  appId: z.string(),
  colorScheme: ColorScheme,
  language: z.string(),
  presence: z.optional(Presence),
});
export type ConnectResult = z.infer<typeof ConnectResult>;

/** What `login(challenge)` resolves with: POST /me/apps/:appId/login's answer, for the app's server. */
export const LoginResult = z.strictObject({
  app: z.string(),
  domain: z.string(),
  user: z.string(),
  challenge: z.string(),
  digest: z.string(),
});
export type LoginResult = z.infer<typeof LoginResult>;

/** A `call` with target 'all' resolves with one entry per provider. */
export const CallAllResult = z.array(z.strictObject({ app: z.string(), result: z.optional(z.unknown()), error: z.optional(AppError) }));
