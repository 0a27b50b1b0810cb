import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddress } from './client-address';

/** What a login's body says about the session to make: the device, the kind of session it wants, the app login's subid. */
interface SessionWanted<Device, Application extends string> {
  device: Device;
  application?: Application;
  subid?: string;
}

/**
 * What every login route (password, OPAQUE, passkey) passes on to auth for the session it may make: the device,
 * the kind of session (`default` unless the body names one), the app login's subid when there is one, and the
 * caller's address.
 */
export function sessionRequest<Device, Application extends string>(body: SessionWanted<Device, Application>, request: FastifyRequest) {
  return {
    device: body.device,
    application: body.application ?? ('default' as const),
    ...(body.subid ? { subid: body.subid } : {}),
    ip: clientAddress(request),
  };
}

/** A login's answer as every login route gives it: 200 with a session, 202 while the login waits for approval. */
export function loginAnswer<Result extends { status: string }>(reply: FastifyReply, result: Result): Result {
  if (result.status === 'pending') void reply.status(202);
  return result;
}
