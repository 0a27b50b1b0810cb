/** The API's payloads as the contracts declare them (type-only: nothing from the server code ends up in the bundle). */
import type {
  ActiveLoginRes,
  ApprovalView,
  AuthMethods,
  HomeScreenView,
  PendingLoginRes,
  ReplyOf,
  SessionView,
  UserAppView,
} from '@gatehouse/contracts';

export type { ApprovalView, AuthMethods, HomeScreenView, SessionView, UserAppView };
export type ActiveLogin = ActiveLoginRes;
export type PendingLogin = Pick<PendingLoginRes, 'pendingId' | 'pollToken' | 'securityCode' | 'expiresAt'> &
  Partial<Pick<PendingLoginRes, 'approvalChannels'>>;
export type IssuedToken = ReplyOf<'sessions.session.mint-token'>;
export type HomeScreenGroup = HomeScreenView['groups'][number];
export type HomeScreenItem = HomeScreenGroup['items'][number];
export type ClientConfig = ReplyOf<'directory.client-config.get'>;
export type PendingStatus = ReplyOf<'auth.pending.status'>['status'];
