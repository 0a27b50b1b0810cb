import { z } from 'zod';
import { event, request } from '../contract';
import { Domain, Uuid } from '../common/schemas';
import { AppId } from './registry.schemas';

export const PresenceSubjects = {
  presenceGet: 'directory.presence.get',
  presenceSet: 'directory.presence.set',
  presenceChanged: 'directory.presence.changed',
  appSocketVerify: 'directory.app-socket.verify',
  socketAppsList: 'directory.socket-apps.list',
} as const;

/** The user's own presence (seed 000 "display and set the own presence"). */
export const PresenceStatus = z.enum(['available', 'away', 'busy', 'dnd']);
/** A one-line note beside the status. */
export const PresenceNote = z
  .string()
  .trim()
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not hold control characters');

/** GET /me/presence and the `presence.changed` push; `available` with no note until the user sets one. */
export const PresenceView = z.object({ status: PresenceStatus, note: z.string().optional() });
export type PresenceView = z.infer<typeof PresenceView>;

/** PUT /me/presence. */
export const PresenceBody = z.object({ status: PresenceStatus, note: PresenceNote.optional() }).strict();

export const PresenceGetReq = z.object({ userId: Uuid }).strict();
export const PresenceSetReq = z.object({ userId: Uuid, status: PresenceStatus, note: PresenceNote.optional() }).strict();
/** Every gateway pushes it to the user's sockets (and the app sockets of their apps) as `presence.changed`. */
export const PresenceChangedEvent = z.object({ userId: Uuid, presence: PresenceView });

/** Protocol tag of an app socket's proof; see AppSocketVerifyReq. */
export const APP_SOCKET_VERSION = 'gatehouse-app-socket-v1';
/**
 * The first message of an app's WebSocket (apps with the `websocket` flag): `proof` is lowercase hex
 * HMAC-SHA256 keyed with the app's shared secret over `gatehouse-app-socket-v1\n<domain>\n<appId>\n<timestamp>`
 * (timestamp: milliseconds since 1970, within a minute of Gatehouse's clock).
 */
export const AppSocketVerifyReq = z
  .object({ domain: Domain, appId: AppId, timestamp: z.string().regex(/^\d{1,16}$/), proof: z.string().regex(/^[0-9a-f]{64}$/) })
  .strict();
export const AppSocketVerifyRes = z.object({ domain: Domain, appId: AppId });

/** The user (`name@domain`) and the apps with the `websocket` flag they may run: who hears their events. */
export const SocketAppsListReq = z.object({ userId: Uuid }).strict();
export const SocketAppsListRes = z.object({ user: z.string().nullable(), domain: z.string().nullable(), apps: z.array(z.string()) });

export const presenceContract = {
  [PresenceSubjects.presenceGet]: request(PresenceGetReq, PresenceView),
  [PresenceSubjects.presenceSet]: request(PresenceSetReq, PresenceView),
  [PresenceSubjects.presenceChanged]: event(PresenceChangedEvent),
  [PresenceSubjects.appSocketVerify]: request(AppSocketVerifyReq, AppSocketVerifyRes),
  [PresenceSubjects.socketAppsList]: request(SocketAppsListReq, SocketAppsListRes),
};
