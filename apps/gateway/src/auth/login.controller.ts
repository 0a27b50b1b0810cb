import { Controller, Req, Res } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginSubjects, SessionsSubjects } from '@gatehouse/contracts';
import { Input, Route } from '../http/route.decorator';
import { clientAddress } from './client-address';
import { CredentialVerifier } from './credential-verifier.service';
import { loginAnswer, sessionRequest } from './login-answer';
import { GuessThrottle } from './guess-throttle';

@Controller()
export class LoginController {
  constructor(
    private readonly nats: NatsClient,
    private readonly verifier: CredentialVerifier,
    private readonly guesses: GuessThrottle,
  ) {}

  @Route('GET /auth/methods')
  methods() {
    return this.nats.send(LoginSubjects.methods, {});
  }

  /**
   * Password login; every login makes a new session (no fixation). 202 while it waits for approval.
   * A device that sends its live session's access token (`Authorization: Bearer`) is a known device:
   * others' failures on the account do not make it wait.
   */
  @Route('POST /auth/login')
  async login(
    @Input() { body }: Input<'POST /auth/login'>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const deviceSession = await this.verifier.deviceSession(request.headers.authorization, clientAddress(request));
    const result = await this.nats.send(
      LoginSubjects.password,
      {
        username: body.username,
        password: body.password,
        ...sessionRequest(body, request),
        ...(deviceSession ? { deviceSession } : {}),
      },
      { timeoutMs: 15_000 },
    );
    return loginAnswer(reply, result);
  }

  @Route('POST /auth/sessions/:id/challenge')
  challenge(@Input() { params }: Input<'POST /auth/sessions/:id/challenge'>) {
    return this.nats.send(SessionsSubjects.challenge, { sessionId: params.id });
  }

  @Route('POST /auth/sessions/:id/token')
  token(@Input() { params, body }: Input<'POST /auth/sessions/:id/token'>, @Req() request: FastifyRequest) {
    const sessionId = params.id;
    return this.guesses.counting(clientAddress(request), ['invalid_proof'], () =>
      this.nats.send(SessionsSubjects.mintToken, { sessionId, nonce: body.nonce, proof: body.proof.toLowerCase() }),
    );
  }
}
