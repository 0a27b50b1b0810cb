import { z } from 'zod';
import { AuthenticationResponseJson, PasskeyName, RegistrationResponseJson } from '../auth/passkeys.contract';
import { Device } from '../sessions/sessions.contract';
import { ClientApplication } from './auth.http';

/** POST /me/passkeys — the answer to the options of POST /me/passkeys/options. */
export const PasskeyRegisterBody = z.object({ flowId: z.uuid(), name: PasskeyName, response: RegistrationResponseJson }).strict();
export type PasskeyRegisterBody = z.infer<typeof PasskeyRegisterBody>;
export const PasskeyIdParam = z.uuid();

/** POST /auth/passkey/login — the answer to the options of POST /auth/passkey/options. */
export const PasskeyLoginBody = z
  .object({
    flowId: z.uuid(),
    response: AuthenticationResponseJson,
    device: Device,
    application: ClientApplication.optional(),
    subid: z.string().min(1).max(100).optional(),
  })
  .strict();
export type PasskeyLoginBody = z.infer<typeof PasskeyLoginBody>;

/** POST /me/approvals/:pendingId/passkey — accept with a passkey (user verification). */
export const PasskeyApprovalBody = z
  .object({ flowId: z.uuid(), response: AuthenticationResponseJson, code: z.string().trim().min(1).max(32).optional() })
  .strict();
export type PasskeyApprovalBody = z.infer<typeof PasskeyApprovalBody>;
