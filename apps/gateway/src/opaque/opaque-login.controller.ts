import { Controller, Req, Res } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OpaqueSubjects } from '@gatehouse/contracts';
import { clientAddress } from '../auth/client-address';
import { CredentialVerifier } from '../auth/credential-verifier.service';
import { loginAnswer, sessionRequest } from '../auth/login-answer';
import { Input, Route } from '../http/route.decorator';

/**
 * Login by OPAQUE (RFC 9807): two messages, and the password never leaves the device. The answers
 * are the same for unknown users (a fake record) as for a wrong password; the second message ends as
 * `POST /auth/login` does (200 with a session, 202 pending approval).
 */
@Controller()
export class OpaqueLoginController {
  constructor(
    private readonly nats: NatsClient,
    private readonly verifier: CredentialVerifier,
  ) {}

  @Route('POST /auth/opaque/login/start')
  async start(@Input() { body }: Input<'POST /auth/opaque/login/start'>, @Req() request: FastifyRequest) {
    const address = clientAddress(request);
    const deviceSession = await this.verifier.deviceSession(request.headers.authorization, address);
    return this.nats.send(OpaqueSubjects.loginStart, {
      username: body.username,
      startLoginRequest: body.startLoginRequest,
      ip: address,
      ...(deviceSession ? { deviceSession } : {}),
    });
  }

  @Route('POST /auth/opaque/login/finish')
  async finish(
    @Input() { body }: Input<'POST /auth/opaque/login/finish'>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.nats.send(OpaqueSubjects.loginFinish, {
      loginId: body.loginId,
      finishLoginRequest: body.finishLoginRequest,
      ...sessionRequest(body, request),
    });
    return loginAnswer(reply, result);
  }
}
