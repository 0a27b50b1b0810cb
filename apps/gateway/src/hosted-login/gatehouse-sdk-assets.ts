import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { fromWorkspace } from '@gatehouse/config';
import { LOGGER, Logger } from '@gatehouse/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sendPage } from '../http/html-page';

/** Where `vite build libs/gatehouse-sdk` (part of `npm run build:web`) writes the login library and the hosted page's script. */
export const GATEHOUSE_SDK_DIR = fromWorkspace('libs/gatehouse-sdk/dist');
/** Public path → built file. */
const FILES = { '/sdk/gatehouse.js': 'gatehouse.js', '/sdk/hosted-login.js': 'hosted-login.js' } as const;

interface Asset {
  body: Buffer;
  etag: string;
}

/**
 * Serves the login library for web apps on other origins (issue 19) at /sdk/gatehouse.js, and the
 * hosted login page's script. A module script from another origin is fetched with CORS, so every
 * origin may read the library (it holds no secret; what it may do is decided by the API's CORS).
 * Cached for an hour and revalidated by its content hash.
 */
@Injectable()
export class GatehouseSdkAssets implements OnModuleInit {
  private readonly assets = new Map<string, Asset>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    for (const [path, file] of Object.entries(FILES)) {
      try {
        const body = readFileSync(resolve(GATEHOUSE_SDK_DIR, file));
        this.assets.set(path, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
      } catch {
        this.logger.warn({ event: 'gatehouse_sdk.not_built', file }, 'login library not built: run `npm run build:web`');
      }
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const path of Object.keys(FILES)) fastify.get(path, (request, reply) => this.send(path, request, reply));
  }

  private send(path: string, request: FastifyRequest, reply: FastifyReply) {
    const asset = this.assets.get(path);
    if (!asset)
      return sendPage(reply, 503, 'Login library not built', '<p>Run <code>npm run build:web</code> and restart the gateway.</p>');
    void reply
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=3600')
      .header('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(asset.body);
  }
}
