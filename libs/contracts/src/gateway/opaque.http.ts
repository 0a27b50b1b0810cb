import { z } from 'zod';
import { Device } from '../sessions/sessions.contract';
import { ClientApplication } from './auth.http';

const OpaqueMessage = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/** POST /auth/opaque/login/start — the first OPAQUE message (the password stays on the device). */
export const OpaqueLoginStartBody = z.object({ username: z.string().min(1).max(320), startLoginRequest: OpaqueMessage }).strict();
/** POST /auth/opaque/login/finish — the client's proof; then as POST /auth/login. */
export const OpaqueLoginFinishBody = z
  .object({
    loginId: z.uuid(),
    finishLoginRequest: OpaqueMessage,
    device: Device,
    application: ClientApplication.optional(),
    subid: z.string().min(1).max(100).optional(),
  })
  .strict();
