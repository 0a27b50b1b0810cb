import { INestMicroservice } from '@nestjs/common';
import { Clock, Logger, createLogger, startServiceApp } from '@gatehouse/platform';
import { AuthModule } from './app.module';
import { AuthConfig } from './config';

export interface AuthOptions {
  logger?: Logger;
  clock?: Clock;
}

export function bootstrapAuth(config: AuthConfig, options: AuthOptions = {}): Promise<INestMicroservice> {
  const logger = options.logger ?? createLogger({ service: 'auth', level: config.LOG_LEVEL });
  return startServiceApp({
    name: 'auth',
    module: AuthModule.forRoot({ config, logger, clock: options.clock }),
    natsUrl: config.NATS_URL,
    logger,
  });
}
