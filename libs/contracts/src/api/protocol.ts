/**
 * Constants of the public protocol, shared by the gateway, the web client and the login library.
 * No zod here: browser bundles import this file for values.
 */

/** Every public HTTP route lives under this prefix (the health checks and the OIDC provider do not). */
export const API_PREFIX = '/api/v1';

/** The WebSocket endpoint: the first message is `auth`, `pending` or `app` (ClientMessage). */
export const WS_PATH = `${API_PREFIX}/ws`;

/** Close codes of the WebSocket. 4440: the access token ended without a fresh `auth` (HTTP 440, "login time-out"). */
export const WsCloseCodes = {
  goingAway: 1001,
  sessionRevoked: 4001,
  unauthenticated: 4401,
  authTimeout: 4408,
  rateLimited: 4429,
  tokenExpired: 4440,
} as const;
export type WsCloseCode = (typeof WsCloseCodes)[keyof typeof WsCloseCodes];

/**
 * The keys of the URL fragment an OAuth2 login returns to `returnTo` with (the fragment never
 * reaches a server): a session, or a login waiting for approval.
 */
export const OAuth2FragmentKeys = {
  active: ['sessionId', 'sessionPassword', 'accessToken', 'expiresAt'],
  pending: ['pendingId', 'pollToken', 'securityCode', 'expiresAt'],
} as const;
export type OAuth2ActiveFragment = Record<(typeof OAuth2FragmentKeys.active)[number], string>;
export type OAuth2PendingFragment = Record<(typeof OAuth2FragmentKeys.pending)[number], string>;

/** The `type` of every ServerMessage (messages.ts checks that the two agree); a client ignores others. */
export const SERVER_MESSAGE_TYPES = [
  'ready',
  'error',
  'session.revoked',
  'approval.requested',
  'approval.decided',
  'homescreen.changed',
  'apps.changed',
  'presence.changed',
] as const;
