import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Every answer is read as the type it declares (nosniff), and no API answer is kept by a browser
 * or proxy cache: logins, tokens, session challenges and API keys travel in them.
 * Set before the handler runs, so a route may still choose otherwise (the web client's assets do).
 * Runs inside the request-id hook: one hook less on the token-check hot path (bench/README.md).
 */
export function securityHeaders(apiPrefix: string): (request: FastifyRequest, reply: FastifyReply) => void {
  const api = `/${apiPrefix}`;
  return (request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    const url = request.url;
    if (url.startsWith(api) && (url.length === api.length || url[api.length] === '/' || url[api.length] === '?')) {
      void reply.header('cache-control', 'no-store');
    }
  };
}
