import { z } from 'zod';
import { event, request } from '../contract';
import { IsoDate, Uuid } from '../common/schemas';
import { Device } from '../sessions/sessions.contract';
import { ClientAddress, Decision } from './auth-schemas';
import { ActiveLoginRes } from './login.contract';

/**
 * Two-factor approval of a new device: the waiting device polls (`auth.pending.*`), a signed-in device
 * or the emailed link decides (`auth.approval.*`).
 */
export const ApprovalSubjects = {
  /** The waiting device's poll: its status, and once approved its session, collected once. */
  status: 'auth.pending.status',
  verifyPoll: 'auth.pending.verify',
  cancel: 'auth.pending.cancel',
  list: 'auth.approval.list',
  decide: 'auth.approval.decide',
  emailView: 'auth.approval.email-view',
  emailDecide: 'auth.approval.email-decide',
  requested: 'auth.approval.requested',
  decided: 'auth.approval.decided',
} as const;

/** `cancelled`: the waiting device withdrew its login. */
export const PendingStatus = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export type PendingStatus = z.infer<typeof PendingStatus>;

/** What the approving device is shown. In `transfer` mode the code is left out: the approver types it. */
export const ApprovalView = z.object({
  pendingId: Uuid,
  device: Device,
  ip: z.string(),
  requestedAt: IsoDate,
  expiresAt: IsoDate,
  mode: z.enum(['compare', 'transfer']),
  securityCode: z.string().optional(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

const PollToken = z.string().min(1).max(200);
/** The code the approver types in `transfer` mode. */
const SecurityCodeAnswer = z.string().max(32);

export const PendingStatusReq = z.object({ pendingId: Uuid, pollToken: PollToken }).strict();
/** The first read after approval carries the new session, once; later reads say `approved` only. */
export const PendingStatusRes = z.object({ status: PendingStatus, login: ActiveLoginRes.optional() });
export const PendingVerifyReq = PendingStatusReq;
export const PendingVerifyRes = z.object({ userId: Uuid });
export const PendingCancelReq = z.object({ pendingId: Uuid, pollToken: PollToken, ip: ClientAddress }).strict();
export const PendingCancelRes = z.object({ status: PendingStatus });

export const ApprovalListReq = z.object({ userId: Uuid }).strict();
export const ApprovalListRes = z.object({ approvals: z.array(ApprovalView) });
export const ApprovalDecideReq = z
  .object({
    userId: Uuid,
    sessionId: Uuid,
    pendingId: Uuid,
    decision: Decision,
    code: SecurityCodeAnswer.optional(),
    ip: ClientAddress,
  })
  .strict();
export const ApprovalDecideRes = z.object({ status: PendingStatus });

/** The token of a mailed link (approval or password reset). */
export const EmailToken = z.string().min(16).max(200);
export const EmailViewReq = z.object({ token: EmailToken }).strict();
export const EmailViewRes = z.object({ approval: ApprovalView, status: PendingStatus, used: z.boolean() });
export const EmailDecideReq = z
  .object({ token: EmailToken, decision: Decision, code: SecurityCodeAnswer.optional(), ip: ClientAddress })
  .strict();
export const EmailDecideRes = z.object({ status: PendingStatus });

export const ApprovalRequestedEvent = z.object({ userId: Uuid, approval: ApprovalView });
export const ApprovalDecidedEvent = z.object({ userId: Uuid, pendingId: Uuid, status: PendingStatus });

export const approvalsContract = {
  [ApprovalSubjects.status]: request(PendingStatusReq, PendingStatusRes),
  [ApprovalSubjects.verifyPoll]: request(PendingVerifyReq, PendingVerifyRes),
  [ApprovalSubjects.cancel]: request(PendingCancelReq, PendingCancelRes),
  [ApprovalSubjects.list]: request(ApprovalListReq, ApprovalListRes),
  [ApprovalSubjects.decide]: request(ApprovalDecideReq, ApprovalDecideRes),
  [ApprovalSubjects.emailView]: request(EmailViewReq, EmailViewRes),
  [ApprovalSubjects.emailDecide]: request(EmailDecideReq, EmailDecideRes),
  [ApprovalSubjects.requested]: event(ApprovalRequestedEvent),
  [ApprovalSubjects.decided]: event(ApprovalDecidedEvent),
};
