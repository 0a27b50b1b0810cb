import { z } from 'zod';
import { request } from '../contract';
import { Uuid } from '../common/schemas';
import { Device, SessionApplication } from '../sessions/sessions.contract';
import { ClientAddress, SubId } from './auth-schemas';
import { LoginRes } from './login.contract';

export const OpaqueSubjects = {
  loginStart: 'auth.opaque.login-start',
  loginFinish: 'auth.opaque.login-finish',
} as const;

/** OPAQUE messages are base64url strings of a few hundred characters. */
const OpaqueMessage = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/** The argon2id parameters the client must stretch the password with (those of the user's record). */
export const OpaqueKeyStretching = z.object({ memory: z.number().int(), iterations: z.number().int(), parallelism: z.number().int() });

export const OpaqueLoginStartReq = z
  .object({
    username: z.string().min(1).max(320),
    startLoginRequest: OpaqueMessage,
    ip: ClientAddress,
    deviceSession: z.object({ userId: Uuid, sessionId: Uuid }).strict().optional(),
  })
  .strict();
export const OpaqueLoginStartRes = z.object({ loginId: Uuid, loginResponse: OpaqueMessage, keyStretching: OpaqueKeyStretching });
export const OpaqueLoginFinishReq = z
  .object({
    loginId: Uuid,
    finishLoginRequest: OpaqueMessage,
    device: Device,
    application: SessionApplication,
    subid: SubId.optional(),
    ip: ClientAddress,
  })
  .strict();

export const opaqueContract = {
  [OpaqueSubjects.loginStart]: request(OpaqueLoginStartReq, OpaqueLoginStartRes),
  [OpaqueSubjects.loginFinish]: request(OpaqueLoginFinishReq, LoginRes),
};
