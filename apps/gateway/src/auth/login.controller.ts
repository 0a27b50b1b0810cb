import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { LoginBody, SessionIdParam, TokenBody } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ZodPipe } from '../http/zod.pipe';
import { clientAddress } from './client-address';
import { CredentialVerifier } from './credential-verifier.service';
import { GuessThrottle } from './guess-throttle';
import { ApiZodBody } from '../http/api-zod-body';

@ApiTags('auth')
@Controller('auth')
export class LoginController {
  constructor(
    private readonly nats: NatsClient,
    private readonly verifier: CredentialVerifier,
    private readonly guesses: GuessThrottle,
  ) {}

  @Get('methods')
  methods() {
    return this.nats.send('auth.methods.get', {});
  }

  /**
   * Password login; every login makes a new session (no fixation). 202 while it waits for approval.
   * A device that sends its live session's access token (`Authorization: Bearer`) is a known device:
   * others' failures on the account do not make it wait.
   */
  @Post('login')
  @HttpCode(200)
  @ApiZodBody(LoginBody)
  async login(
    @Body(new ZodPipe(LoginBody)) body: LoginBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const address = clientAddress(request);
    const deviceSession = await this.verifier.deviceSession(request.headers.authorization, address);
    const result = await this.nats.send(
      'auth.login.password',
      {
        username: body.username,
        password: body.password,
        device: body.device,
        application: body.application ?? 'default',
        ...(body.subid ? { subid: body.subid } : {}),
        ip: address,
        ...(deviceSession ? { deviceSession } : {}),
      },
      { timeoutMs: 15_000 },
    );
    if (result.status === 'pending') void reply.status(202);
    return result;
  }

  @Post('sessions/:id/challenge')
  @HttpCode(200)
  challenge(@Param('id', new ZodPipe(SessionIdParam)) sessionId: string) {
    return this.nats.send('sessions.session.challenge', { sessionId });
  }

  @Post('sessions/:id/token')
  @HttpCode(200)
  @ApiZodBody(TokenBody)
  token(
    @Param('id', new ZodPipe(SessionIdParam)) sessionId: string,
    @Body(new ZodPipe(TokenBody)) body: z.infer<typeof TokenBody>,
    @Req() request: FastifyRequest,
  ) {
    return this.guesses.counting(clientAddress(request), ['invalid_proof'], () =>
      this.nats.send('sessions.session.mint-token', { sessionId, nonce: body.nonce, proof: body.proof.toLowerCase() }),
    );
  }
}
