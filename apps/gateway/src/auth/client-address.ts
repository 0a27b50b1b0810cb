import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** The client's address as Fastify sees it (X-Forwarded-For only with TRUST_PROXY). */
export const clientAddress = (request: FastifyRequest): string => request.ip ?? 'unknown';

/** The same for a WebSocket upgrade, which Fastify does not parse: the client's (first) X-Forwarded-For entry with TRUST_PROXY. */
export const upgradeClientAddress = (request: IncomingMessage, trustProxy: boolean): string => {
  const forwarded = trustProxy ? request.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || request.socket.remoteAddress || 'unknown';
};
