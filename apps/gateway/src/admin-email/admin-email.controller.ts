import { Body, Controller, Get, HttpCode, Post, Put, UseGuards } from '@nestjs/common';
import { PutEmailConfigBody, SmtpConfigInput, TestEmailBody } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody } from '../http/api-zod-body';

/**
 * SMTP account administration; the password is never sent back, only `passwordSet`. The mailer
 * refuses domain administrators itself (installation-wide settings); the gateway passes the actor on.
 */
@Controller('admin/config/email')
@UseGuards(AccessGuard, AdminGuard)
export class AdminEmailController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  get(@CurrentPrincipal() principal: Principal) {
    return this.nats.send('mailer.config.get', { actor: adminActor(principal) });
  }

  @Put()
  @ApiZodBody(PutEmailConfigBody)
  set(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(PutEmailConfigBody)) body: SmtpConfigInput) {
    return this.nats.send('mailer.config.set', { actor: adminActor(principal), config: body });
  }

  @Post('test')
  @HttpCode(200)
  @ApiZodBody(TestEmailBody)
  test(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(TestEmailBody)) body: z.infer<typeof TestEmailBody>) {
    return this.nats.send('mailer.test.send', { actor: adminActor(principal), ...body });
  }
}
