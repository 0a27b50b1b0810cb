/**
 * The kinds of audit rows; webhooks subscribe to these. `admin.change` is every change made through /admin.
 * Apart from audit.contract.ts (no zod here), so the admin console's bundle can take the list as it is.
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
