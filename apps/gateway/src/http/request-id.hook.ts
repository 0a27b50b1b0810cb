import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER, runWithRequestId } from '@gatehouse/platform';

/** Every request runs inside its request id (given by the client or made here) and echoes it. */
export function registerRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    runWithRequestId(String(request.id), done);
  });
}
