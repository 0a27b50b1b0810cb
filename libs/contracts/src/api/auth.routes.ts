import { z } from 'zod';
import { PendingStatus } from '../auth/approvals.contract';
import { ActiveLoginRes, PendingLoginRes } from '../auth/login.contract';
import { PrincipalSchema } from '../sessions/sessions.contract';
import { PasswordResetBody, PasswordResetCompleteBody, PendingIdParam } from '../gateway/approvals.http';
import { LoginBody, SessionIdParam, TokenBody } from '../gateway/auth.http';
import { OAuth2StartQuery } from '../gateway/oauth2.http';
import { OpaqueLoginFinishBody, OpaqueLoginStartBody } from '../gateway/opaque.http';
import { PasskeyLoginBody } from '../gateway/passkeys.http';
import { natsReply } from './nats-replies';
import { routes } from './route';

/** `GET /auth/login/pending/:id`: the status; the first read after approval carries the session, once. */
export const PendingLoginStatusReply = z.union([
  ActiveLoginRes.omit({ status: true }).extend({ status: z.literal('approved') }),
  z.object({ status: PendingStatus }),
]);
export type PendingLoginStatusReply = z.infer<typeof PendingLoginStatusReply>;

/** `GET /auth/check`: who the access token or API key speaks for. */
export const CheckReply = z.object({ status: z.literal('active'), user: PrincipalSchema });

const session = { id: z.object({ id: SessionIdParam }) };
const loginErrors = [
  'invalid_credentials',
  'rate_limited',
  'auth_type_disabled',
  'approval_unavailable',
  'plain_login_disabled',
  'password_expired',
  'password_must_change',
  'account_disabled',
  'account_expired',
  'account_restricted',
  'netlogon_unavailable',
] as const;

/** Signing in (password, OPAQUE, passkey, OAuth2), the session's access tokens, and a login waiting for approval. */
export const authRoutes = routes({
  'GET /auth/methods': {
    summary: 'The ways to sign in offered here (password, OAuth2 provider, two-factor, password reset)',
    tag: 'auth',
    security: [],
    reply: natsReply('auth.methods.get'),
    errors: [],
  },
  'POST /auth/login': {
    summary: 'Password login: 200 with a new session, or 202 with a login waiting for approval',
    description:
      "Every login makes a new session. A device that sends its live session's access token (`Authorization: Bearer`) is a known device: others' failures on the account do not make it wait.",
    tag: 'auth',
    security: [],
    body: LoginBody,
    reply: ActiveLoginRes,
    otherReplies: { 202: PendingLoginRes },
    errors: loginErrors,
  },
  'POST /auth/sessions/:id/challenge': {
    summary: 'A single-use nonce to prove the session password with',
    tag: 'auth',
    security: [],
    params: session.id,
    reply: natsReply('sessions.session.challenge'),
    errors: ['not_found', 'session_revoked', 'token_expired'],
  },
  'POST /auth/sessions/:id/token': {
    summary: 'A new access token for the proof: hex HMAC-SHA256(sha256(sessionPassword), nonce)',
    tag: 'auth',
    security: [],
    params: session.id,
    body: TokenBody,
    reply: natsReply('sessions.session.mint-token'),
    errors: ['invalid_proof', 'not_found', 'session_revoked', 'token_expired', 'rate_limited'],
  },
  'GET /auth/check': {
    summary: 'Check-only login: the user while the access token or API key is valid',
    tag: 'auth',
    security: ['bearer', 'apiKey'],
    reply: CheckReply,
    errors: [],
  },
  'GET /auth/login/pending/:id': {
    summary: 'The status of a login waiting for approval; the first read after approval carries the session, once',
    tag: 'auth',
    security: ['pending'],
    params: z.object({ id: PendingIdParam }),
    reply: PendingLoginStatusReply,
    errors: [],
  },
  'DELETE /auth/login/pending/:id': {
    summary: 'Withdraw a login waiting for approval; the devices asked to approve it are told',
    tag: 'auth',
    security: ['pending'],
    params: z.object({ id: PendingIdParam }),
    reply: natsReply('auth.pending.cancel'),
    errors: [],
  },
  'POST /auth/opaque/login/start': {
    summary: 'OPAQUE login, first message (the password stays on the device)',
    tag: 'auth',
    security: [],
    body: OpaqueLoginStartBody,
    reply: natsReply('auth.opaque.login-start'),
    errors: ['rate_limited', 'auth_type_disabled'],
  },
  'POST /auth/opaque/login/finish': {
    summary: "OPAQUE login, the client's proof: as POST /auth/login, 200 with a session or 202 pending approval",
    tag: 'auth',
    security: [],
    body: OpaqueLoginFinishBody,
    reply: ActiveLoginRes,
    otherReplies: { 202: PendingLoginRes },
    errors: ['invalid_credentials', 'rate_limited', 'auth_type_disabled', 'approval_unavailable'],
  },
  'POST /auth/passkey/options': {
    summary: 'Options for navigator.credentials.get() with no account named (a single-use challenge)',
    tag: 'auth',
    security: [],
    reply: natsReply('auth.passkey.login-options'),
    errors: ['rate_limited'],
  },
  'POST /auth/passkey/login': {
    summary: "Passkey login with the authenticator's answer: 200 with a session or 202 pending approval",
    tag: 'auth',
    security: [],
    body: PasskeyLoginBody,
    reply: ActiveLoginRes,
    otherReplies: { 202: PendingLoginRes },
    errors: ['passkey_invalid', 'passkey_cloned', 'rate_limited', 'auth_type_disabled', 'approval_unavailable'],
  },
  'GET /auth/oauth2/start': {
    summary: 'Start an OAuth2 login: redirect to the provider, back to `returnTo` with the session in the URL fragment',
    tag: 'auth',
    security: [],
    query: OAuth2StartQuery,
    status: 302,
    reply: z.never(),
    errors: ['oauth2_not_configured', 'return_to_not_allowed', 'oauth2_failed'],
  },
  'GET /auth/oauth2/callback': {
    summary: "The provider's redirect: on to `returnTo` with a session or a pending login in the fragment (OAuth2FragmentKeys)",
    tag: 'auth',
    security: [],
    status: 302,
    reply: z.never(),
    errors: ['oauth2_failed', 'identity_not_mapped', 'auth_type_disabled', 'approval_unavailable'],
  },
  'POST /auth/password-reset': {
    summary: 'Forgot password: mails a reset link when the login names a user with an email (always 202)',
    tag: 'auth',
    security: [],
    body: PasswordResetBody,
    status: 202,
    reply: natsReply('auth.password-reset.request'),
    errors: ['password_reset_disabled', 'rate_limited'],
  },
  'GET /auth/password-reset/:token': {
    summary: "The emailed link's page: a form for the new password",
    tag: 'auth',
    security: [],
    params: z.object({ token: z.string() }),
    html: 'page',
    reply: z.string(),
    errors: [],
  },
  'POST /auth/password-reset/:token': {
    summary: "Set the new password of the emailed link (JSON, or the page's form post answered with a page)",
    tag: 'auth',
    security: [],
    params: z.object({ token: z.string() }),
    body: PasswordResetCompleteBody,
    html: 'form',
    reply: natsReply('auth.password-reset.complete'),
    errors: ['reset_link_invalid', 'weak_password', 'password_reset_disabled'],
  },
});
export type AuthRoutes = typeof authRoutes;
