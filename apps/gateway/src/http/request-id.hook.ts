import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER, runWithRequestId } from '@gatehouse/platform';

/** Every request runs inside its request id (given by the client or made here) and echoes it; `also` adds other headers in the same hook. */
export function registerRequestId(fastify: FastifyInstance, also?: (request: FastifyRequest, reply: FastifyReply) => void): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    also?.(request, reply);
    runWithRequestId(String(request.id), done);
  });
}
