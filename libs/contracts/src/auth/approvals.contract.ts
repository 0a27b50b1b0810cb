import { z } from 'zod';
import { event, request } from '../contract';
import { IsoDate, Uuid } from '../common/schemas';
import { Device, SessionApplication } from '../sessions/sessions.contract';
import { ActiveLoginRes, AuthSubjects, PASSWORD_MAX_LENGTH, PasswordLoginReq } from './auth.contract';

export const ApprovalSubjects = {
  status: 'auth.pending.status',
  verifyPoll: 'auth.pending.verify',
  cancel: 'auth.pending.cancel',
  list: 'auth.approval.list',
  decide: 'auth.approval.decide',
  emailView: 'auth.approval.email-view',
  emailDecide: 'auth.approval.email-decide',
  requested: 'auth.approval.requested',
  decided: 'auth.approval.decided',
  loginOauth2: 'auth.login.oauth2',
  resetRequest: 'auth.password-reset.request',
  resetComplete: 'auth.password-reset.complete',
} as const;

/** How a pending login can be approved: from another signed-in device, or by the emailed link. */
export const ApprovalChannel = z.enum(['session', 'email']);
/** `cancelled`: the waiting device withdrew its login. */
export const PendingStatus = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export type PendingStatus = z.infer<typeof PendingStatus>;
export const Decision = z.enum(['accept', 'reject']);

export const PendingLoginRes = z.object({
  status: z.literal('pending'),
  pendingId: Uuid,
  securityCode: z.string(),
  pollToken: z.string(),
  expiresAt: IsoDate,
  approvalChannels: z.array(ApprovalChannel),
});
export type PendingLoginRes = z.infer<typeof PendingLoginRes>;
export const LoginRes = z.union([ActiveLoginRes, PendingLoginRes]);
export type LoginRes = z.infer<typeof LoginRes>;

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

export const PendingStatusReq = z.object({ pendingId: Uuid, pollToken: PollToken }).strict();
/** The first read after approval carries the new session, once; later reads say `approved` only. */
export const PendingStatusRes = z.object({ status: PendingStatus, login: ActiveLoginRes.optional() });
export const PendingVerifyReq = PendingStatusReq;
export const PendingVerifyRes = z.object({ userId: Uuid });
export const PendingCancelReq = z.object({ pendingId: Uuid, pollToken: PollToken, ip: z.string().max(100) }).strict();
export const PendingCancelRes = z.object({ status: PendingStatus });

export const ApprovalListReq = z.object({ userId: Uuid }).strict();
export const ApprovalListRes = z.object({ approvals: z.array(ApprovalView) });
export const ApprovalDecideReq = z
  .object({
    userId: Uuid,
    sessionId: Uuid,
    pendingId: Uuid,
    decision: Decision,
    code: z.string().max(32).optional(),
    ip: z.string().max(100),
  })
  .strict();
export const ApprovalDecideRes = z.object({ status: PendingStatus });

const EmailToken = z.string().min(16).max(200);
export const EmailViewReq = z.object({ token: EmailToken }).strict();
export const EmailViewRes = z.object({ approval: ApprovalView, status: PendingStatus, used: z.boolean() });
export const EmailDecideReq = z
  .object({ token: EmailToken, decision: Decision, code: z.string().max(32).optional(), ip: z.string().max(100) })
  .strict();
export const EmailDecideRes = z.object({ status: PendingStatus });

export const ApprovalRequestedEvent = z.object({ userId: Uuid, approval: ApprovalView });
export const ApprovalDecidedEvent = z.object({ userId: Uuid, pendingId: Uuid, status: PendingStatus });

export const OAuth2LoginReq = z
  .object({
    userId: Uuid,
    device: Device,
    application: SessionApplication,
    subid: z.string().min(1).max(100).optional(),
    ip: z.string().max(100),
  })
  .strict();

export const ResetRequestReq = z.object({ login: z.string().min(1).max(320), ip: z.string().max(100) }).strict();
export const ResetRequestRes = z.object({ accepted: z.literal(true) });
export const ResetCompleteReq = z
  .object({
    token: EmailToken,
    newPassword: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH * 4),
    endOtherSessions: z.boolean().default(false),
    ip: z.string().max(100),
  })
  .strict();
/** With `endOtherSessions` every session and every API key of the user end (`apiKeysRevoked`). */
export const ResetCompleteRes = z.object({ changed: z.literal(true), sessionsEnded: z.number().int(), apiKeysRevoked: z.number().int() });

/** Password login lives here because its answer may be a pending login. */
export const approvalsContract = {
  [AuthSubjects.loginPassword]: request(PasswordLoginReq, LoginRes),
  [ApprovalSubjects.status]: request(PendingStatusReq, PendingStatusRes),
  [ApprovalSubjects.verifyPoll]: request(PendingVerifyReq, PendingVerifyRes),
  [ApprovalSubjects.cancel]: request(PendingCancelReq, PendingCancelRes),
  [ApprovalSubjects.list]: request(ApprovalListReq, ApprovalListRes),
  [ApprovalSubjects.decide]: request(ApprovalDecideReq, ApprovalDecideRes),
  [ApprovalSubjects.emailView]: request(EmailViewReq, EmailViewRes),
  [ApprovalSubjects.emailDecide]: request(EmailDecideReq, EmailDecideRes),
  [ApprovalSubjects.requested]: event(ApprovalRequestedEvent),
  [ApprovalSubjects.decided]: event(ApprovalDecidedEvent),
  [ApprovalSubjects.loginOauth2]: request(OAuth2LoginReq, LoginRes),
  [ApprovalSubjects.resetRequest]: request(ResetRequestReq, ResetRequestRes),
  [ApprovalSubjects.resetComplete]: request(ResetCompleteReq, ResetCompleteRes),
};
