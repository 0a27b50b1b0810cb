import type { FastifyInstance } from 'fastify';

/**
 * Every answer is read as the type it declares (nosniff), and no API answer is kept by a browser
 * or proxy cache: logins, tokens, session challenges and API keys travel in them.
 * Set before the handler runs, so a route may still choose otherwise (the web client's assets do).
 */
export function registerSecurityHeaders(fastify: FastifyInstance, apiPrefix: string): void {
  const api = `/${apiPrefix}/`;
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith(api) || request.url === `/${apiPrefix}`) void reply.header('cache-control', 'no-store');
    done();
  });
}
