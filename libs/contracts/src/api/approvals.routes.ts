import { z } from 'zod';
import { ApprovalDecisionBody, EmailDecisionBody, PendingIdParam } from '../gateway/approvals.http';
import { PasskeyApprovalBody } from '../gateway/passkeys.http';
import { natsReply } from './nats-replies';
import { routes } from './route';

const approvalErrors = ['approval_not_found', 'approval_expired', 'approval_already_decided', 'invalid_security_code'] as const;
const pending = z.object({ pendingId: PendingIdParam });

/** Two-factor approval of a new device: from a signed-in device of the user, or by the emailed link. */
export const approvalsRoutes = routes({
  'GET /me/approvals': {
    summary: "The user's logins waiting for approval",
    tag: 'approvals',
    security: ['bearer', 'apiKey'],
    reply: natsReply('auth.approval.list'),
    errors: [],
  },
  'POST /me/approvals/:pendingId': {
    summary: 'Accept or reject a login from a signed-in device (`code` in transfer mode)',
    tag: 'approvals',
    security: ['bearer'],
    params: pending,
    body: ApprovalDecisionBody,
    reply: natsReply('auth.approval.decide'),
    errors: [...approvalErrors, 'forbidden', 'passkey_required'],
  },
  'POST /me/approvals/passkey/options': {
    summary: 'Options for accepting a login with a passkey and user verification',
    tag: 'approvals',
    security: ['bearer'],
    reply: natsReply('auth.passkey.approve-options'),
    errors: ['forbidden', 'passkey_required'],
  },
  'POST /me/approvals/:pendingId/passkey': {
    summary: 'Accept a login with a passkey (policy `approvalRequiresPasskey`)',
    tag: 'approvals',
    security: ['bearer'],
    params: pending,
    body: PasskeyApprovalBody,
    reply: natsReply('auth.passkey.approve'),
    errors: [...approvalErrors, 'forbidden', 'passkey_invalid', 'passkey_cloned'],
  },
  'GET /approvals/email/:token': {
    summary: "The emailed approval link's page: the device and the code, Accept / Reject (shows only)",
    tag: 'approvals',
    security: [],
    params: z.object({ token: z.string() }),
    html: 'page',
    reply: z.string(),
    errors: [],
  },
  'POST /approvals/email/:token': {
    summary: "Accept or reject by the emailed link (JSON, or the page's form post answered with a page)",
    tag: 'approvals',
    security: [],
    params: z.object({ token: z.string() }),
    body: EmailDecisionBody,
    html: 'form',
    reply: natsReply('auth.approval.email-decide'),
    errors: [...approvalErrors, 'link_used'],
  },
});
export type ApprovalsRoutes = typeof approvalsRoutes;
