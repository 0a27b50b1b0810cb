import type { FastifyRequest } from 'fastify';

/** The client's address as Fastify sees it (X-Forwarded-For only with TRUST_PROXY). */
export const clientAddress = (request: FastifyRequest): string => request.ip ?? 'unknown';
