import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PresenceBody } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import type { z } from 'zod';
import { AccessGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiZodBody } from '../http/api-zod-body';
import { ZodPipe } from '../http/zod.pipe';

/** The user's own presence `{ status, note? }`; a change reaches every session and open app as `presence.changed`. */
@ApiTags('me')
@Controller('me/presence')
@UseGuards(AccessGuard)
export class MyPresenceController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  get(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('directory.presence.get', { userId: principal.userId }, { retries: 1 });
  }

  @Put()
  @ApiZodBody(PresenceBody)
  set(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(PresenceBody)) body: z.infer<typeof PresenceBody>) {
    return this.nats.send('directory.presence.set', { userId: principal.userId, ...body });
  }
}
