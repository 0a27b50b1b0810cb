/**
 * The kinds of audit rows; webhooks subscribe to these. `admin.change` is every change made through /admin.
 * Apart from audit.contract.ts (no zod here), so the admin console's bundle can take the lists as they are.
 */
export const AuditTypes = [
  'login',
  'lockout',
  'approval',
  'password_reset',
  'external_user.deleted',
  'admin.change',
  'passkey',
  'operator',
] as const;

/** What came of an audited event; the admin console's audit filter offers these. */
export const AuditOutcomes = [
  'success',
  'failure',
  'throttled',
  'locked',
  'done',
  'requested',
  'approved',
  'rejected',
  'wrong_code',
  'changed',
  'cancelled',
  'unavailable',
  'refused',
  'registered',
  'removed',
  'cloned',
] as const;
