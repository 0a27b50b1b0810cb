import { Controller, Delete, Get, Headers, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PendingIdParam } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../auth/client-address';
import { GuessThrottle } from '../auth/guess-throttle';
import { ZodPipe } from '../http/zod.pipe';

/** `Authorization: Pending <pollToken>`: only the device that started the login can read it. */
export function pollTokenOf(header: string | undefined): string {
  const match = /^Pending\s+(\S{1,200})$/i.exec(header?.trim() ?? '');
  if (!match) throw new AppError('unauthenticated', 'Authorization: Pending <pollToken> required');
  return match[1];
}

@ApiTags('auth')
@Controller('auth/login/pending')
export class PendingLoginController {
  constructor(
    private readonly nats: NatsClient,
    private readonly guesses: GuessThrottle,
  ) {}

  /** pending | approved | rejected | expired; the first read after approval carries the session, once. */
  @Get(':id')
  async status(
    @Param('id', new ZodPipe(PendingIdParam)) pendingId: string,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    const pollToken = pollTokenOf(authorization);
    // A wrong poll token (or unknown id) is a credential guess like an unknown access token.
    const { status, login } = await this.guesses.counting(clientAddress(request), ['unauthenticated'], () =>
      this.nats.send('auth.pending.status', { pendingId, pollToken }, { timeoutMs: 15_000 }),
    );
    return login ? { ...login, status } : { status };
  }

  /** Cancel on the waiting screen: the login is withdrawn, and the devices asked to approve it are told. */
  @Delete(':id')
  cancel(
    @Param('id', new ZodPipe(PendingIdParam)) pendingId: string,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    const pollToken = pollTokenOf(authorization);
    const ip = clientAddress(request);
    return this.guesses.counting(ip, ['unauthenticated'], () => this.nats.send('auth.pending.cancel', { pendingId, pollToken, ip }));
  }
}
