import { INestMicroservice } from '@nestjs/common';
import { Clock, Logger, createLogger, startServiceApp } from '@gatehouse/platform';
import { SessionsModule } from './app.module';
import { SessionsConfig } from './config';

export interface SessionsOptions {
  logger?: Logger;
  clock?: Clock;
}

export function bootstrapSessions(config: SessionsConfig, options: SessionsOptions = {}): Promise<INestMicroservice> {
  const logger = options.logger ?? createLogger({ service: 'sessions', level: config.LOG_LEVEL });
  return startServiceApp({
    name: 'sessions',
    module: SessionsModule.forRoot({ config, logger, clock: options.clock }),
    natsUrl: config.NATS_URL,
    logger,
  });
}
