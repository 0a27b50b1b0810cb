import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PasskeyLoginBody } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import type { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddress } from '../auth/client-address';
import { ApiZodBody } from '../http/api-zod-body';
import { ZodPipe } from '../http/zod.pipe';

/** Sign-in with a passkey: options (a single-use challenge), then the authenticator's answer. */
@ApiTags('auth')
@Controller('auth/passkey')
export class PasskeyLoginController {
  constructor(private readonly nats: NatsClient) {}

  /** Options for navigator.credentials.get(), with no account named: the passkey picks it (also in autofill). */
  @Post('options')
  @HttpCode(200)
  options() {
    return this.nats.send('auth.passkey.login-options', {});
  }

  /** 200 with a session, or 202 with a pending login when the policy still wants approval. */
  @Post('login')
  @HttpCode(200)
  @ApiZodBody(PasskeyLoginBody)
  async login(
    @Body(new ZodPipe(PasskeyLoginBody)) body: z.infer<typeof PasskeyLoginBody>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.nats.send('auth.passkey.login', {
      flowId: body.flowId,
      response: body.response,
      device: body.device,
      application: body.application ?? 'default',
      ...(body.subid ? { subid: body.subid } : {}),
      ip: clientAddress(request),
    });
    if (result.status === 'pending') void reply.status(202);
    return result;
  }
}
