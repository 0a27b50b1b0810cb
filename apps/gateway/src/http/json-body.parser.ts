import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Many HTTP clients send `content-type: application/json` on every request, bodiless DELETEs
 * included: an empty body is no body (routes that need one still refuse it in their schema).
 * Anything else goes to Fastify's own parser, which refuses `__proto__` and `constructor` keys.
 */
export function registerJsonBodyParser(adapter: FastifyAdapter): void {
  // Nest's parsers first (the approval page's form posts need its urlencoded one), then ours for JSON.
  adapter.registerParserMiddleware();
  const fastify = adapter.getInstance<FastifyInstance>();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    void parseJson(request, text, done);
  });
}
