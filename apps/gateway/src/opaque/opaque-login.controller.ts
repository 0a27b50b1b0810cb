import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OpaqueLoginFinishBody, OpaqueLoginStartBody } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { clientAddress } from '../auth/client-address';
import { CredentialVerifier } from '../auth/credential-verifier.service';
import { ApiZodBody } from '../http/api-zod-body';
import { ZodPipe } from '../http/zod.pipe';

/**
 * Login by OPAQUE (RFC 9807): two messages, and the password never leaves the device. The answers
 * are the same for unknown users (a fake record) as for a wrong password; the second message ends as
 * `POST /auth/login` does (200 with a session, 202 pending approval).
 */
@ApiTags('auth')
@Controller('auth/opaque/login')
export class OpaqueLoginController {
  constructor(
    private readonly nats: NatsClient,
    private readonly verifier: CredentialVerifier,
  ) {}

  @Post('start')
  @HttpCode(200)
  @ApiZodBody(OpaqueLoginStartBody)
  async start(@Body(new ZodPipe(OpaqueLoginStartBody)) body: z.infer<typeof OpaqueLoginStartBody>, @Req() request: FastifyRequest) {
    const address = clientAddress(request);
    const deviceSession = await this.verifier.deviceSession(request.headers.authorization, address);
    return this.nats.send('auth.opaque.login-start', {
      username: body.username,
      startLoginRequest: body.startLoginRequest,
      ip: address,
      ...(deviceSession ? { deviceSession } : {}),
    });
  }

  @Post('finish')
  @HttpCode(200)
  @ApiZodBody(OpaqueLoginFinishBody)
  async finish(
    @Body(new ZodPipe(OpaqueLoginFinishBody)) body: z.infer<typeof OpaqueLoginFinishBody>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.nats.send('auth.opaque.login-finish', {
      loginId: body.loginId,
      finishLoginRequest: body.finishLoginRequest,
      device: body.device,
      application: body.application ?? 'default',
      ...(body.subid ? { subid: body.subid } : {}),
      ip: clientAddress(request),
    });
    if (result.status === 'pending') void reply.status(202);
    return result;
  }
}
