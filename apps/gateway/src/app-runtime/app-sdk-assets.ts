import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppProtocol } from '@gatehouse/contracts';
import { fromWorkspace } from '@gatehouse/config';
import { LOGGER, Logger } from '@gatehouse/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sendPage } from '../http/html-page';

/** Where `vite build libs/app-sdk` (part of `npm run build:web`) writes the app library. */
export const APP_SDK_FILE = fromWorkspace('libs/app-sdk/dist/app.js');
/** The library's public paths: `app.js` follows the current release, `app.v1.js` stays on protocol version 1. */
export const APP_SDK_PATHS = ['/sdk/app.js', `/sdk/${AppProtocol.APP_PROTOCOL.replace('/', '.v')}.js`] as const;

/**
 * Serves the app library (libs/app-sdk) to apps on any origin: a module script from another
 * origin is fetched with CORS, so every origin may read it. Cached for an hour and revalidated
 * by its content hash (ETag), so a new release reaches apps within the hour.
 */
@Injectable()
export class AppSdkAssets implements OnModuleInit {
  private body?: Buffer;
  private etag = '';

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    try {
      this.body = readFileSync(APP_SDK_FILE);
      this.etag = `"${createHash('sha256').update(this.body).digest('base64url').slice(0, 22)}"`;
    } catch {
      // The API works without it; say at /sdk/app.js what is missing instead of failing the start.
      this.logger.warn({ event: 'app_sdk.not_built', file: APP_SDK_FILE }, 'app library not built: run `npm run build:web`');
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const path of APP_SDK_PATHS) fastify.get(path, (request, reply) => this.send(request, reply));
  }

  private send(request: FastifyRequest, reply: FastifyReply) {
    if (!this.body)
      return sendPage(reply, 503, 'App library not built', '<p>Run <code>npm run build:web</code> and restart the gateway.</p>');
    void reply
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=3600')
      .header('etag', this.etag)
      .header('x-gatehouse-app-protocol', AppProtocol.APP_PROTOCOL);
    if (request.headers['if-none-match'] === this.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(this.body);
  }
}
