import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MailerSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { MailQueue } from './mail-queue';

@Controller()
export class MailController {
  constructor(private readonly queue: MailQueue) {}

  @RpcHandler(MailerSubjects.mailSend)
  async send(@Payload() req: ParsedRequestOf<'mailer.mail.send'>): Promise<ReplyOf<'mailer.mail.send'>> {
    await this.queue.enqueue(req);
    return { queued: true };
  }
}
