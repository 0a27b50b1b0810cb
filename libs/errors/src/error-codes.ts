/**
 * Every error code Gatehouse answers with. Codes are part of the public API: add, never rename.
 * Each code carries its HTTP status here, so the gateway's mapping and the code live in one place.
 */
export const errorCatalog = {
  // input
  validation_failed: 400,
  unknown_field: 400,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  // login and sessions
  invalid_credentials: 401,
  unauthenticated: 401,
  token_expired: 401,
  session_revoked: 401,
  invalid_proof: 401,
  forbidden: 403,
  /** An API key asked for what needs an interactive session (making API keys, revoking other keys). */
  interactive_session_required: 403,
  rate_limited: 429,
  weak_password: 422,
  // approvals and mail
  approval_expired: 410,
  approval_not_found: 404,
  approval_already_decided: 409,
  invalid_security_code: 422,
  link_used: 410,
  approval_unavailable: 403,
  /** Switching two-factor on would leave no installation administrator a way to approve their next login (no email, no other session); `force: true` overrides. */
  two_factor_lockout: 409,
  password_reset_disabled: 403,
  reset_link_invalid: 410,
  mail_failed: 502,
  // registry
  homescreen_too_large: 422,
  homescreen_malformed: 422,
  app_exists: 409,
  user_exists: 409,
  /** The email address is held by another user, in any domain of the installation (any case). */
  email_exists: 409,
  template_exists: 409,
  // federation
  netlogon_unavailable: 503,
  // Netlogon: Active Directory account states, answered only to a caller who proved the Windows password
  password_expired: 403,
  password_must_change: 403,
  account_disabled: 403,
  account_expired: 403,
  account_restricted: 403,
  oauth2_failed: 401,
  identity_not_mapped: 403,
  oauth2_not_configured: 503,
  return_to_not_allowed: 400,
  /** An admin setting names a host on a loopback, link-local or private address (OUTBOUND_ALLOWED_NETWORKS). */
  outbound_not_allowed: 422,
  auth_type_disabled: 403,
  // passkeys (WebAuthn)
  /** The passkey's answer did not verify: wrong origin or RP ID, bad signature, no user verification where required, unknown or spent challenge. */
  passkey_invalid: 401,
  /** The authenticator's signature counter went backwards: a cloned authenticator; refused and audited. */
  passkey_cloned: 401,
  /** The policy wants a passkey with user verification for this (approving a new device). */
  passkey_required: 403,
  /** The policy closed the plain password route for PBX passwords: sign in with OPAQUE (the web client does) or a passkey. */
  plain_login_disabled: 403,
  // platform
  service_unavailable: 503,
  internal_error: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorCatalog;

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(errorCatalog, value);

export const httpStatusOf = (code: ErrorCode): number => errorCatalog[code];
