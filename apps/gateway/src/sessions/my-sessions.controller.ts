import { Controller, Delete, Get, Param, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { ZodPipe } from '../http/zod.pipe';
import { AccessGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';

const SessionRef = z.union([z.literal('current'), z.uuid()]);

/** "Account security": the user's permanent sessions, and remote logout. */
@ApiTags('sessions')
@Controller('me/sessions')
@UseGuards(AccessGuard)
export class MySessionsController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('sessions.session.list', {
      userId: principal.userId,
      ...(principal.sessionId ? { currentSessionId: principal.sessionId } : {}),
    });
  }

  /** Revocation only ever reaches the caller's own sessions: the user id comes from the token. */
  @Delete(':id')
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ZodPipe(SessionRef)) ref: string) {
    const sessionId = ref === 'current' ? principal.sessionId : ref;
    if (!sessionId) throw new AppError('validation_failed', 'an API key has no current session');
    const { revoked } = await this.nats.send('sessions.session.revoke', { userId: principal.userId, sessionId });
    if (!revoked) throw new AppError('not_found', 'No such session');
    return { revoked: true };
  }
}
