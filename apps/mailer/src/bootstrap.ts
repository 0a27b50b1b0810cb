import { INestMicroservice } from '@nestjs/common';
import { Clock, Logger, createLogger, startServiceApp } from '@gatehouse/platform';
import { MailerModule } from './app.module';
import { MailerConfig } from './config';

export interface MailerOptions {
  logger?: Logger;
  clock?: Clock;
}

export function bootstrapMailer(config: MailerConfig, options: MailerOptions = {}): Promise<INestMicroservice> {
  const logger = options.logger ?? createLogger({ service: 'mailer', level: config.LOG_LEVEL });
  return startServiceApp({
    name: 'mailer',
    module: MailerModule.forRoot({ config, logger, clock: options.clock }),
    natsUrl: config.NATS_URL,
    logger,
  });
}
