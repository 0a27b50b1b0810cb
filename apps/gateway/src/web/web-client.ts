import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import { fromWorkspace } from '@gatehouse/config';
import { LOGGER, Logger } from '@gatehouse/platform';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sendPage } from '../http/html-page';

/** Where `npm run build:web` (Vite, apps/web) writes the client's static files. */
export const WEB_CLIENT_DIR = fromWorkspace('apps/web/dist');

/**
 * The client's own code only; apps run in iframes from their own servers and show icons from
 * there (seed 000: an app is `url` + `.htm` and `.png`), so frames and images may come from any
 * http(s) origin. 'self' covers the WebSocket on the same host.
 */
export const WEB_CLIENT_CSP = [
  "default-src 'self'",
  // 'wasm-unsafe-eval': OPAQUE login runs @serenity-kit/opaque's WebAssembly (compiling it, never eval of JS).
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' https: http: data:",
  'frame-src https: http:',
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function setClientHeaders(reply: FastifyReply, path: string): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  if (path.endsWith('.html')) {
    // The page names the current hashed bundles: always revalidated, so a new build is picked up at once.
    reply.header('cache-control', 'no-cache');
    reply.header('content-security-policy', WEB_CLIENT_CSP);
    reply.header('x-frame-options', 'DENY');
  } else if (/[\\/]assets[\\/]/.test(path)) {
    reply.header('cache-control', 'public, max-age=31536000, immutable');
  } else {
    reply.header('cache-control', 'public, max-age=3600');
  }
}

/** Serves the web client at `/`, beside the API under /api/v1. */
@Injectable()
export class WebClient implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (!existsSync(join(WEB_CLIENT_DIR, 'index.html'))) {
      // The API works without the client; say at `/` what is missing instead of failing the start.
      this.logger.warn({ event: 'web.not_built', dir: WEB_CLIENT_DIR }, 'web client not built: run `npm run build:web`');
      fastify.get('/', (_request, reply) =>
        sendPage(reply, 503, 'Web client not built', '<p>Run <code>npm run build:web</code> and restart the gateway.</p>'),
      );
      return;
    }
    // wildcard: false registers a route per built file (no catch-all beside the API); `/` is index.html.
    void fastify.register(fastifyStatic, {
      root: WEB_CLIENT_DIR,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
      cacheControl: false,
      dotfiles: 'ignore',
      setHeaders: setClientHeaders,
    });
  }
}
