import type { ApprovalView, Decision, Device, PendingStatus } from '@gatehouse/contracts';
import { constantTimeEqual, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import type { PendingLogin } from './pending-logins.repository';
import type { LoginRequest } from '../sessions-client/session-starter';

/**
 * The life of a login waiting for approval, as a pure module (no I/O; the repository makes each
 * arrow one conditional UPDATE, so of two racing deciders exactly one wins):
 *
 *   pending ──accept──▶ approved ──the waiting device collects its session──▶ completed
 *      │                    ▲                                                    │
 *      │                    └──────────── the session could not be made ─────────┘
 *      ├──reject (or too many wrong codes)──▶ rejected
 *      └──cancel (the waiting device)──▶ cancelled
 *
 * `expired` is not stored: a pending or approved login past `expiresAt` reads as expired.
 */
export type StoredStatus = 'pending' | 'approved' | 'rejected' | 'cancelled' | 'completed';

/** The fields the state machine reads. */
export type PendingLoginState = Pick<PendingLogin, 'status' | 'expiresAt'>;

/** What the waiting device and the approvers are told. */
export function statusOf(row: PendingLoginState, nowMs: number): PendingStatus {
  if (row.status === 'rejected') return 'rejected';
  if (row.status === 'cancelled') return 'cancelled';
  if (row.status === 'completed') return 'approved';
  if (row.expiresAt.getTime() <= nowMs) return 'expired';
  return row.status === 'approved' ? 'approved' : 'pending';
}

/** A decision (accept, reject, cancel) is only taken while the login is pending and unexpired. */
export function assertOpen(row: PendingLoginState, nowMs: number): void {
  const status = statusOf(row, nowMs);
  if (status === 'expired') throw new AppError('approval_expired', 'This login request has expired');
  if (status !== 'pending') throw new AppError('approval_already_decided', 'This login has already been decided');
}

/** The stored status an approver's decision leads to. */
export const outcomeOf = (decision: Decision): 'approved' | 'rejected' => (decision === 'accept' ? 'approved' : 'rejected');

/** Approved and unexpired, and its session not collected yet: the waiting device may collect it now. */
export const collectable = (row: PendingLoginState, nowMs: number): boolean =>
  statusOf(row, nowMs) === 'approved' && row.status !== 'completed';

/** The waiting device proves itself with its poll token; an unknown id and a wrong token answer alike. */
export function byPollToken<T extends Pick<PendingLogin, 'pollTokenHash'>>(row: T | null, pollToken: string): T {
  if (!row || !constantTimeEqual(sha256(pollToken), row.pollTokenHash))
    throw new AppError('unauthenticated', 'Unknown pending login or wrong poll token');
  return row;
}

/** After a wrong transfer code: reject the login once `maxWrongCodes` are spent, otherwise say how many tries are left. */
export function afterWrongCode(wrongCodes: number, maxWrongCodes: number): { reject: true } | { reject: false; attemptsLeft: number } {
  return wrongCodes >= maxWrongCodes ? { reject: true } : { reject: false, attemptsLeft: maxWrongCodes - wrongCodes };
}

/** In transfer mode the approver is never sent the code: it has to type what the new device shows. */
export const toView = (row: PendingLogin): ApprovalView => ({
  pendingId: row.id,
  device: row.device as Device,
  ip: row.ip,
  requestedAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  mode: row.mode === 'transfer' ? 'transfer' : 'compare',
  ...(row.mode !== 'transfer' ? { securityCode: row.securityCode } : {}),
});

/** The login the waiting device asked for, as its session will be started once approved. */
export const toLoginRequest = (row: PendingLogin): LoginRequest => ({
  device: row.device as Device,
  application: row.application as LoginRequest['application'],
  ...(row.subid ? { subid: row.subid } : {}),
  ip: row.ip,
});
