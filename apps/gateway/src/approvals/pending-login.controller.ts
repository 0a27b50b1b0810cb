import { Controller, Headers, Req } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyRequest } from 'fastify';
import { ApprovalSubjects } from '@gatehouse/contracts';
import { clientAddress } from '../auth/client-address';
import { GuessThrottle } from '../auth/guess-throttle';
import { Input, Route } from '../http/route.decorator';

/** `Authorization: Pending <pollToken>`: only the device that started the login can read it. */
export function pollTokenOf(header: string | undefined): string {
  const match = /^Pending\s+(\S{1,200})$/i.exec(header?.trim() ?? '');
  if (!match) throw new AppError('unauthenticated', 'Authorization: Pending <pollToken> required');
  return match[1];
}

@Controller()
export class PendingLoginController {
  constructor(
    private readonly nats: NatsClient,
    private readonly guesses: GuessThrottle,
  ) {}

  /** pending | approved | rejected | expired; the first read after approval carries the session, once. */
  @Route('GET /auth/login/pending/:id')
  async status(
    @Input() { params }: Input<'GET /auth/login/pending/:id'>,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    const pollToken = pollTokenOf(authorization);
    // A wrong poll token (or unknown id) is a credential guess like an unknown access token.
    const { status, login } = await this.guesses.counting(clientAddress(request), ['unauthenticated'], () =>
      this.nats.send(ApprovalSubjects.status, { pendingId: params.id, pollToken }, { timeoutMs: 15_000 }),
    );
    return login && status === 'approved' ? { ...login, status } : { status };
  }

  /** Cancel on the waiting screen: the login is withdrawn, and the devices asked to approve it are told. */
  @Route('DELETE /auth/login/pending/:id')
  cancel(
    @Input() { params }: Input<'DELETE /auth/login/pending/:id'>,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    const pollToken = pollTokenOf(authorization);
    const ip = clientAddress(request);
    return this.guesses.counting(ip, ['unauthenticated'], () =>
      this.nats.send(ApprovalSubjects.cancel, { pendingId: params.id, pollToken, ip }),
    );
  }
}
