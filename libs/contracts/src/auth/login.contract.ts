import { z } from 'zod';
import { request } from '../contract';
import { IsoDate, Uuid } from '../common/schemas';
import { User } from '../directory/directory.contract';
import { Device, SessionApplication } from '../sessions/sessions.contract';
import { ClientAddress, SubId, TypedPassword } from './auth-schemas';

/** Signing in: the login form's choices, the password login, and the login of a user the identity provider proved. */
export const LoginSubjects = {
  password: 'auth.login.password',
  oauth2: 'auth.login.oauth2',
  methods: 'auth.methods.get',
} as const;

export const PasswordLoginReq = z
  .object({
    username: z.string().min(1).max(320),
    password: TypedPassword,
    device: Device,
    application: SessionApplication,
    subid: SubId.optional(),
    ip: ClientAddress,
    /** The requesting device proved a live session (its access token): a known device of that user for throttling. */
    deviceSession: z.object({ userId: Uuid, sessionId: Uuid }).strict().optional(),
  })
  .strict();

/**
 * The identity provider sent the browser back: auth has `federation` prove the identity and find the
 * user (`query`: the raw query string of the callback, without the leading ?), then decides by policy.
 */
export const OAuth2LoginReq = z
  .object({
    query: z.string().max(8192),
    device: Device,
    application: SessionApplication,
    subid: SubId.optional(),
    ip: ClientAddress,
  })
  .strict();

export const ActiveLoginRes = z.object({
  status: z.literal('active'),
  session: z.object({ id: Uuid, password: z.string() }),
  accessToken: z.string(),
  expiresAt: IsoDate,
  user: User,
});
export type ActiveLoginRes = z.infer<typeof ActiveLoginRes>;

/** How a pending login can be approved: from another signed-in device, or by the emailed link. */
export const ApprovalChannel = z.enum(['session', 'email']);

/** The device waits for approval (two-factor): it shows the code and polls with `pollToken`. */
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

/** The login, and where the browser goes on to (the `returnTo` the flow was started with). */
export const OAuth2LoginRes = z.object({ login: LoginRes, returnTo: z.string() });

export const AuthMethodsRes = z.object({
  password: z.boolean(),
  netlogon: z.boolean(),
  oauth2: z.object({ providerName: z.string() }).nullable(),
  twoFactor: z.boolean(),
  /** "Forgot password?" is offered: the built-in reset by email, or the page below. */
  passwordReset: z.boolean(),
  /**
   * Seed 000 "Reset Password Page" (PBX/Config/myApps of the installation's domain): when set, the
   * "Forgot password?" link leads to this page instead of the built-in form.
   */
  resetPasswordPage: z.string().nullable(),
  /** Issue 22: the plain route still takes PBX passwords (false: OPAQUE only, `plain_login_disabled`). */
  pbxPlainLogin: z.boolean().optional(),
});
export type AuthMethods = z.infer<typeof AuthMethodsRes>;

export const loginContract = {
  [LoginSubjects.password]: request(PasswordLoginReq, LoginRes),
  [LoginSubjects.oauth2]: request(OAuth2LoginReq, OAuth2LoginRes),
  [LoginSubjects.methods]: request(z.object({}).strict(), AuthMethodsRes),
};
