import { Body, Controller, Get, HttpCode, Post, Put, UseGuards } from '@nestjs/common';
import { PutEmailConfigBody, SmtpConfigInput, TestEmailBody } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody } from '../http/api-zod-body';

/** SMTP account administration; the password is never sent back, only `passwordSet`. */
@Controller('admin/config/email')
@UseGuards(AccessGuard, AdminGuard)
export class AdminEmailController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  get() {
    return this.nats.send('mailer.config.get', {});
  }

  @Put()
  @ApiZodBody(PutEmailConfigBody)
  set(@Body(new ZodPipe(PutEmailConfigBody)) body: SmtpConfigInput) {
    return this.nats.send('mailer.config.set', { config: body });
  }

  @Post('test')
  @HttpCode(200)
  @ApiZodBody(TestEmailBody)
  test(@Body(new ZodPipe(TestEmailBody)) body: z.infer<typeof TestEmailBody>) {
    return this.nats.send('mailer.test.send', body);
  }
}
