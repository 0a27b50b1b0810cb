import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { Domain, IsoDate, Uuid } from '../common/schemas';
import { Device, SessionApplication } from '../sessions/sessions.contract';
import { PendingStatus } from './approvals.contract';
import { ClientAddress, SubId } from './auth-schemas';
import { LoginRes } from './login.contract';

export const PasskeySubjects = {
  registerOptions: 'auth.passkey.register-options',
  register: 'auth.passkey.register',
  list: 'auth.passkey.list',
  remove: 'auth.passkey.remove',
  loginOptions: 'auth.passkey.login-options',
  login: 'auth.passkey.login',
  approveOptions: 'auth.passkey.approve-options',
  approve: 'auth.passkey.approve',
} as const;

const B64Url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'must be base64url');

/** WebAuthn options as JSON (PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON): made by auth, passed to the browser as they are. */
export const WebauthnOptionsJson = z.record(z.string(), z.unknown());

/** What the browser's navigator.credentials.create() answered, as JSON (RegistrationResponseJSON). */
export const RegistrationResponseJson = z
  .object({
    id: B64Url(1400),
    rawId: B64Url(1400),
    type: z.literal('public-key'),
    response: z
      .object({
        clientDataJSON: B64Url(8192),
        attestationObject: B64Url(65_536),
        authenticatorData: B64Url(65_536).optional(),
        transports: z.array(z.string().max(32)).max(10).optional(),
        publicKeyAlgorithm: z.number().int().optional(),
        publicKey: B64Url(8192).optional(),
      })
      .strict(),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: z.record(z.string(), z.unknown()),
  })
  .strict();
export type RegistrationResponseJson = z.infer<typeof RegistrationResponseJson>;

/** What navigator.credentials.get() answered, as JSON (AuthenticationResponseJSON). */
export const AuthenticationResponseJson = z
  .object({
    id: B64Url(1400),
    rawId: B64Url(1400),
    type: z.literal('public-key'),
    response: z
      .object({
        clientDataJSON: B64Url(8192),
        authenticatorData: B64Url(65_536),
        signature: B64Url(8192),
        userHandle: B64Url(512).optional(),
      })
      .strict(),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    clientExtensionResults: z.record(z.string(), z.unknown()),
  })
  .strict();
export type AuthenticationResponseJson = z.infer<typeof AuthenticationResponseJson>;

export const PasskeyName = z.string().trim().min(1).max(100);

/** A passkey as its owner and admins see it; the key itself is never shown. */
export const PasskeyView = z.object({
  id: Uuid,
  name: z.string(),
  createdAt: IsoDate,
  lastUsedAt: IsoDate.nullable(),
  backedUp: z.boolean(),
});
export type PasskeyView = z.infer<typeof PasskeyView>;

/** A ceremony's options and the id of its challenge (single use, short-lived). */
export const CeremonyRes = z.object({ flowId: Uuid, options: WebauthnOptionsJson });

export const PasskeyRegisterOptionsReq = z.object({ userId: Uuid }).strict();
export const PasskeyRegisterReq = z.object({ userId: Uuid, flowId: Uuid, name: PasskeyName, response: RegistrationResponseJson }).strict();
export const PasskeyRegisterRes = z.object({ passkey: PasskeyView });
/** `actor`: an administrator's request; a user outside the actor's domains answers not_found (directory decides). */
export const PasskeyListReq = z.object({ userId: Uuid, actor: Actor.optional() }).strict();
export const PasskeyListRes = z.object({ passkeys: z.array(PasskeyView) });
/** `by`: who removes it (the owner or an administrator), for the audit log; `actor`: as for the list. */
export const PasskeyRemoveReq = z
  .object({ userId: Uuid, passkeyId: Uuid, by: z.enum(['owner', 'admin']), actorUserId: Uuid.optional(), actor: Actor.optional() })
  .strict();
/** `domain`: with an `actor`, the user's domain (for the administrator's audit row). */
export const PasskeyRemoveRes = z.object({ removed: z.boolean(), domain: Domain.optional() });
/** No user named: discoverable credentials (autofill / conditional UI) pick the account. */
export const PasskeyLoginOptionsReq = z.object({}).strict();
export const PasskeyLoginReq = z
  .object({
    flowId: Uuid,
    response: AuthenticationResponseJson,
    device: Device,
    application: SessionApplication,
    subid: SubId.optional(),
    ip: ClientAddress,
  })
  .strict();
export const PasskeyApproveOptionsReq = z.object({ userId: Uuid }).strict();
/** Accepting a pending login with a passkey with user verification (the approvalRequiresPasskey policy). */
export const PasskeyApproveReq = z
  .object({
    userId: Uuid,
    sessionId: Uuid,
    pendingId: Uuid,
    flowId: Uuid,
    response: AuthenticationResponseJson,
    code: z.string().max(32).optional(),
    ip: ClientAddress,
  })
  .strict();
export const PasskeyApproveRes = z.object({ status: PendingStatus });

export const passkeysContract = {
  [PasskeySubjects.registerOptions]: request(PasskeyRegisterOptionsReq, CeremonyRes),
  [PasskeySubjects.register]: request(PasskeyRegisterReq, PasskeyRegisterRes),
  [PasskeySubjects.list]: request(PasskeyListReq, PasskeyListRes),
  [PasskeySubjects.remove]: request(PasskeyRemoveReq, PasskeyRemoveRes),
  [PasskeySubjects.loginOptions]: request(PasskeyLoginOptionsReq, CeremonyRes),
  [PasskeySubjects.login]: request(PasskeyLoginReq, LoginRes),
  [PasskeySubjects.approveOptions]: request(PasskeyApproveOptionsReq, CeremonyRes),
  [PasskeySubjects.approve]: request(PasskeyApproveReq, PasskeyApproveRes),
};
