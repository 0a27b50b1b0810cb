/** The API's payloads, named from the route declarations in `@gatehouse/contracts` (type-only: nothing from the server code ends up in the bundle). */
import type { ApprovalView, PendingStatus, ServerMessage } from '@gatehouse/contracts';
import type { Reply } from './api';

export type { ApprovalView, PendingStatus, ServerMessage };
export type AuthMethods = Reply<'GET /auth/methods'>;
export type ActiveLogin = Extract<Reply<'POST /auth/login'>, { status: 'active' }>;
export type PendingLogin = Pick<
  Extract<Reply<'POST /auth/login'>, { status: 'pending' }>,
  'pendingId' | 'pollToken' | 'securityCode' | 'expiresAt'
> &
  Partial<Pick<Extract<Reply<'POST /auth/login'>, { status: 'pending' }>, 'approvalChannels'>>;
export type Profile = Reply<'GET /me'>;
export type UserAppView = Reply<'GET /me/apps'>['apps'][number];
export type SessionView = Reply<'GET /me/sessions'>['sessions'][number];
export type HomeScreenView = Reply<'GET /me/homescreen'>;
export type HomeScreenGroup = HomeScreenView['groups'][number];
export type HomeScreenItem = HomeScreenGroup['items'][number];
export type ClientConfig = Reply<'GET /me/client-config'>;
export type Presence = Reply<'GET /me/presence'>;
export type PasskeyView = Reply<'GET /me/passkeys'>['passkeys'][number];
