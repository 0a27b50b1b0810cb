import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LOGGER, Logger } from '@gatehouse/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OriginBindings } from './origin-bindings';
import { WebOrigins } from './web-origins.service';

const API = '/api/v1/';
const MINT = /^\/api\/v1\/auth\/sessions\/([0-9a-f-]{36})\/token(?:\?|$)/i;
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type, x-request-id';
/** Headers a cross-origin caller may read (the library reads the token's end and the retry delay). */
const EXPOSED_HEADERS = 'retry-after, x-request-id, x-gatehouse-token-until';
export const TOKEN_UNTIL_HEADER = 'x-gatehouse-token-until';

/** The request's Origin when it names another origin than the gateway's own (a cross-origin call). */
export function foreignOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || !origin || origin === 'null') return undefined;
  return origin === `${request.protocol}://${request.host}` ? undefined : origin;
}

const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error: { code, message } });

/**
 * CORS for the registered web origins only (issue 19), on the API under /api/v1: a preflight from
 * a registered origin is answered 204 with the methods and headers the API takes; from any other
 * origin 403 with no CORS header, so the browser never lets that page read an answer. No request
 * is ever allowed with credentials (no `Access-Control-Allow-Credentials`): the API authenticates
 * by the `Authorization` header, never by cookie.
 *
 * A session's lasting token may mint access tokens from another origin only once it is bound to
 * that origin (POST /web-origins/bind) and only until the origin's token lifetime ends.
 */
@Injectable()
export class CrossOriginPolicy implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly origins: WebOrigins,
    private readonly bindings: OriginBindings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Callback hooks with a synchronous way out: same-origin calls (the token check's hot path) pay no promise.
    // A hook that answered (a refusal, a preflight) must not call done: Fastify's rule for callback hooks.
    const settle = (reply: FastifyReply, done: (error?: Error) => void) => (answer: Promise<void>) =>
      answer.then(
        () => {
          if (!reply.sent) done();
        },
        (error: Error) => done(error),
      );
    fastify.addHook('onRequest', (request, reply, done) => {
      const origin = request.url.startsWith(API) ? foreignOrigin(request) : undefined;
      if (!origin) return done();
      void settle(reply, done)(this.crossOrigin(request, reply, origin));
    });
    fastify.addHook('preHandler', (request, reply, done) => {
      const match = request.method === 'POST' ? MINT.exec(request.url) : null;
      const origin = match ? foreignOrigin(request) : undefined;
      if (!match || !origin) return done();
      void settle(reply, done)(this.mintFromOrigin(reply, match[1].toLowerCase(), origin));
    });
  }

  /** A call from another origin: CORS headers for a registered one, a preflight answered; others get none. */
  private async crossOrigin(request: FastifyRequest, reply: FastifyReply, origin: string): Promise<void> {
    let registered: boolean;
    try {
      registered = await this.origins.isRegistered(origin);
    } catch {
      return refuse(reply, 503, 'service_unavailable', 'The registered origins cannot be read now');
    }
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!registered) {
      this.logger.debug({ event: 'cors.refused', origin }, 'request from an unregistered origin');
      if (preflight) return refuse(reply, 403, 'forbidden', 'This origin is not registered for any app');
      return;
    }
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    if (preflight) {
      return reply
        .code(204)
        .header('access-control-allow-methods', ALLOWED_METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', '600')
        .send();
    }
    void reply.header('access-control-expose-headers', EXPOSED_HEADERS);
  }

  /** Minting an access token from another origin: only for a session bound to that origin, until its lifetime ends. */
  private async mintFromOrigin(reply: FastifyReply, sessionId: string, origin: string): Promise<void> {
    const binding = await this.bindings.find(sessionId);
    if (!binding || binding.origin !== origin) return refuse(reply, 401, 'unauthenticated', 'This session was not handed to this origin');
    if (this.bindings.ended(binding)) return refuse(reply, 401, 'token_expired', 'The login for this origin has ended');
    void reply.header(TOKEN_UNTIL_HEADER, new Date(binding.untilMs).toISOString());
  }
}
