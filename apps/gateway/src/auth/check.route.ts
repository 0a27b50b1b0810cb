import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { httpStatusOf, toErrorBody } from '@gatehouse/errors';
import type { FastifyInstance } from 'fastify';
import { clientAddress } from './client-address';
import { CredentialVerifier } from './credential-verifier.service';

export const CHECK_PATH = '/api/v1/auth/check';

/**
 * `GET /auth/check` (seed 002 `checkonly`): 200 with the user while the token holds, 401 otherwise.
 * Clients poll it, so it is a plain Fastify route: Nest's router, guard and pipe chain cost more
 * than the Redis lookup itself. Errors keep the API's `{ error: { code, message } }` shape.
 */
@Injectable()
export class CheckRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: CredentialVerifier,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get(CHECK_PATH, async (request, reply) => {
      try {
        return { status: 'active', user: await this.verifier.fromAuthorization(request.headers.authorization, clientAddress(request)) };
      } catch (error) {
        const body = toErrorBody(error);
        if (typeof body.details?.retryAfterSeconds === 'number') void reply.header('retry-after', String(body.details.retryAfterSeconds));
        return reply.status(httpStatusOf(body.code)).send({ error: body });
      }
    });
  }
}
