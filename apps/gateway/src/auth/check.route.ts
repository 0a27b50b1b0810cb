import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { API_PREFIX, type ApiRoutes, type RouteReplyInput } from '@gatehouse/contracts';
import { httpStatusOf, toErrorBody } from '@gatehouse/errors';
import type { FastifyInstance } from 'fastify';
import { clientAddress } from './client-address';
import { CredentialVerifier } from './credential-verifier.service';

/** Declared as `GET /auth/check` in the contracts' apiRoutes; bound here by hand. */
export const CHECK_PATH = `${API_PREFIX}/auth/check`;

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
        const user = await this.verifier.fromAuthorization(request.headers.authorization, clientAddress(request));
        return { status: 'active', user } satisfies RouteReplyInput<ApiRoutes['GET /auth/check']>;
      } catch (error) {
        const body = toErrorBody(error);
        if (typeof body.details?.retryAfterSeconds === 'number') void reply.header('retry-after', String(body.details.retryAfterSeconds));
        return reply.status(httpStatusOf(body.code)).send({ error: body });
      }
    });
  }
}
