import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Call, REQUEST_ID_HEADER, runWithRequestId } from '@gatehouse/platform';

/**
 * A request's call (contracts' common/calls.ts): its id is made when the request first asks a service
 * something, and from then on a connection closed before the answer went out reports the call abandoned,
 * so that work queued for it (a login's key stretching) is dropped instead of done for no one.
 */
class GatewayCall implements Call {
  private callId?: string;

  constructor(
    private readonly reply: FastifyReply,
    private readonly abandoned: (callId: string) => void,
  ) {}

  id(): string {
    if (this.callId === undefined) {
      const callId = (this.callId = randomUUID());
      const response = this.reply.raw;
      const left = () => {
        if (!response.writableFinished) this.abandoned(callId);
      };
      // the client may have left already, while the request was read or checked
      if (response.closed) left();
      else response.once('close', left);
    }
    return this.callId;
  }
}

/**
 * Every request runs inside its request id (given by the client or made here) and its call, and echoes the
 * id; `also` adds other headers in the same hook; `abandoned` hears the calls whose clients left.
 */
export function registerRequestId(
  fastify: FastifyInstance,
  also?: (request: FastifyRequest, reply: FastifyReply) => void,
  abandoned: (callId: string) => void = () => undefined,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    also?.(request, reply);
    runWithRequestId(String(request.id), done, new GatewayCall(reply, abandoned));
  });
}
