import { DynamicModule, Module } from '@nestjs/common';
import { OutboundPolicy, ServiceRuntime, healthController, serviceProviders } from '@gatehouse/platform';
import { SecretBox } from '@gatehouse/crypto';
import { MailerConfig } from './config';
import { SmtpConfigController } from './smtp-config/smtp-config.controller';
import { SmtpConfigRepository } from './smtp-config/smtp-config.repository';
import { SmtpConfigService } from './smtp-config/smtp-config.service';
import { TestMailService } from './smtp-config/test-mail.service';
import { MailController } from './queue/mail.controller';
import { MailLogRepository } from './queue/mail-log.repository';
import { MailQueue } from './queue/mail-queue';
import { MailSender } from './queue/mail-sender';
import { MAILER_CONFIG } from './tokens';

@Module({})
export class MailerModule {
  static forRoot(runtime: ServiceRuntime<MailerConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: MailerModule,
      controllers: [healthController('mailer'), SmtpConfigController, MailController],
      providers: [
        ...serviceProviders('mailer', runtime, { redis: true }),
        { provide: SecretBox, useValue: new SecretBox(config.GATEHOUSE_ENCRYPTION_KEY) },
        { provide: OutboundPolicy, useValue: new OutboundPolicy(config.OUTBOUND_ALLOWED_NETWORKS) },
        SmtpConfigRepository,
        SmtpConfigService,
        TestMailService,
        { provide: MAILER_CONFIG, useValue: config },
        MailLogRepository,
        MailSender,
        MailQueue,
      ],
    };
  }
}
