import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { API_PREFIX, CheckReply, type ApiRoutes, type RouteReplyInput } from '@gatehouse/contracts';
import { httpStatusOf, toErrorBody } from '@gatehouse/errors';
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import { clientAddress } from './client-address';
import { CredentialVerifier } from './credential-verifier.service';

/** Declared as `GET /auth/check` in the contracts' apiRoutes; bound here by hand. */
export const CHECK_PATH = `${API_PREFIX}/auth/check`;

/**
 * The 200 answer's JSON Schema, from the contract: Fastify compiles it into a serializer for exactly these
 * fields (fast-json-stringify, a third of JSON.stringify's time for this answer; a field the contract does not
 * declare is never sent).
 */
const CHECK_REPLY_SCHEMA = z.toJSONSchema(CheckReply, { io: 'output' });

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
    const options: RouteShorthandOptions = { schema: { response: { 200: CHECK_REPLY_SCHEMA } } };
    fastify.get(CHECK_PATH, options, async (request, reply) => {
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
