import { z } from 'zod';
import { ApprovalView, PendingStatus } from '../auth/approvals.contract';
import { HomeScreenGroups } from '../directory/home-screen.contract';
import { PresenceView } from '../directory/presence.contract';
import { SessionEndReason } from '../sessions/sessions.contract';
import type { SERVER_MESSAGE_TYPES } from './protocol';

/**
 * The WebSocket protocol on WS_PATH. The first client message authenticates the socket: `auth`
 * (a session's access token; sent again with a fresh token before it ends), `pending` (the device
 * waiting for approval) or `app` (an app's backend, README "App connection").
 */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), accessToken: z.string() }),
  z.object({ type: z.literal('pending'), pendingId: z.string(), pollToken: z.string() }),
  z.object({ type: z.literal('app'), domain: z.string(), appId: z.string(), timestamp: z.string(), proof: z.string() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

const SessionRevokedMessage = z.object({ type: z.literal('session.revoked'), sessionId: z.string(), reason: SessionEndReason });
const AppsChangedMessage = z.object({ type: z.literal('apps.changed') });
const PresenceChangedMessage = z.object({ type: z.literal('presence.changed'), presence: PresenceView });

/** What the server sends on a user's or a waiting device's socket. */
export const ServerMessage = z.discriminatedUnion('type', [
  /** The socket is authenticated; `expiresInMs` by the server's clock: send a fresh `auth` before. */
  z.object({ type: z.literal('ready'), sessionId: z.string().optional(), expiresInMs: z.number().optional() }),
  /** Refused: the socket closes next (WsCloseCodes). */
  z.object({ type: z.literal('error'), code: z.string(), retryAfterSeconds: z.number().optional() }),
  SessionRevokedMessage,
  ApprovalView.extend({ type: z.literal('approval.requested') }),
  z.object({ type: z.literal('approval.decided'), pendingId: z.string(), status: PendingStatus }),
  z.object({ type: z.literal('homescreen.changed'), raw: z.string(), groups: HomeScreenGroups }),
  AppsChangedMessage,
  PresenceChangedMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** What an app's socket hears about one of its users (`user` is `name@domain`). */
export const AppSocketMessage = z.discriminatedUnion('type', [
  SessionRevokedMessage.extend({ user: z.string() }),
  AppsChangedMessage.extend({ user: z.string() }),
  PresenceChangedMessage.extend({ user: z.string() }),
]);
export type AppSocketMessage = z.infer<typeof AppSocketMessage>;
/** A user's event as app sockets are told it, before `user` is added. */
export type AppSocketEvent = AppSocketMessage extends infer M ? (M extends AppSocketMessage ? Omit<M, 'user'> : never) : never;

/** SERVER_MESSAGE_TYPES names exactly the types of ServerMessage. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _typesAgree: Same<ServerMessage['type'], (typeof SERVER_MESSAGE_TYPES)[number]> = true;
void _typesAgree;
