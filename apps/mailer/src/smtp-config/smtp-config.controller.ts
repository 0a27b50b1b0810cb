import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MailerSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { SmtpConfigService } from './smtp-config.service';
import { TestMailService } from './test-mail.service';

@Controller()
export class SmtpConfigController {
  constructor(
    private readonly config: SmtpConfigService,
    private readonly testMail: TestMailService,
  ) {}

  @RpcHandler(MailerSubjects.configGet)
  async get(): Promise<ReplyOf<'mailer.config.get'>> {
    return { config: await this.config.get() };
  }

  @RpcHandler(MailerSubjects.configSet)
  async set(@Payload() req: ParsedRequestOf<'mailer.config.set'>): Promise<ReplyOf<'mailer.config.set'>> {
    return { config: await this.config.set(req.config) };
  }

  @RpcHandler(MailerSubjects.testSend)
  async test(@Payload() req: ParsedRequestOf<'mailer.test.send'>): Promise<ReplyOf<'mailer.test.send'>> {
    return this.testMail.send(req.to);
  }
}
