import { Controller, Req, Res } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PasskeySubjects } from '@gatehouse/contracts';
import { loginAnswer, sessionRequest } from '../auth/login-answer';
import { Input, Route } from '../http/route.decorator';

/** Sign-in with a passkey: options (a single-use challenge), then the authenticator's answer. */
@Controller()
export class PasskeyLoginController {
  constructor(private readonly nats: NatsClient) {}

  /** Options for navigator.credentials.get(), with no account named: the passkey picks it (also in autofill). */
  @Route('POST /auth/passkey/options')
  options() {
    return this.nats.send(PasskeySubjects.loginOptions, {});
  }

  /** 200 with a session, or 202 with a pending login when the policy still wants approval. */
  @Route('POST /auth/passkey/login')
  async login(
    @Input() { body }: Input<'POST /auth/passkey/login'>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.nats.send(PasskeySubjects.login, {
      flowId: body.flowId,
      response: body.response,
      ...sessionRequest(body, request),
    });
    return loginAnswer(reply, result);
  }
}
