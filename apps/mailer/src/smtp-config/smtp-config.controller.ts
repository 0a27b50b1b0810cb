import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Actor, actsForInstallation, MailerSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { RpcHandler } from '@gatehouse/platform';
import type { MailerConfig } from '../config';
import { MAILER_CONFIG } from '../tokens';
import { SmtpConfigService } from './smtp-config.service';
import { TestMailService } from './test-mail.service';

@Controller()
export class SmtpConfigController {
  constructor(
    private readonly config: SmtpConfigService,
    private readonly testMail: TestMailService,
    @Inject(MAILER_CONFIG) private readonly mailerConfig: MailerConfig,
  ) {}

  @RpcHandler(MailerSubjects.configGet)
  async get(@Payload() req: ParsedRequestOf<'mailer.config.get'>): Promise<ReplyOf<'mailer.config.get'>> {
    this.assertInstallationAdmin(req.actor);
    return { config: await this.config.get() };
  }

  @RpcHandler(MailerSubjects.configSet)
  async set(@Payload() req: ParsedRequestOf<'mailer.config.set'>): Promise<ReplyOf<'mailer.config.set'>> {
    this.assertInstallationAdmin(req.actor);
    return { config: await this.config.set(req.config) };
  }

  @RpcHandler(MailerSubjects.testSend)
  async test(@Payload() req: ParsedRequestOf<'mailer.test.send'>): Promise<ReplyOf<'mailer.test.send'>> {
    this.assertInstallationAdmin(req.actor);
    return this.testMail.send(req.to, req.language);
  }

  /** The SMTP account and the link base carry every domain's reset links: installation administrators only. */
  private assertInstallationAdmin(actor: Actor): void {
    if (!actsForInstallation(actor, this.mailerConfig.GATEHOUSE_DOMAIN)) {
      throw new AppError('forbidden', 'Only installation administrators may read or change the email settings or send a test mail');
    }
  }
}
