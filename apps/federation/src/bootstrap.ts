import { INestMicroservice } from '@nestjs/common';
import { Clock, Logger, createLogger, startServiceApp } from '@gatehouse/platform';
import { FederationModule } from './app.module';
import { FederationConfig } from './config';

export interface FederationOptions {
  logger?: Logger;
  clock?: Clock;
}

export function bootstrapFederation(config: FederationConfig, options: FederationOptions = {}): Promise<INestMicroservice> {
  const logger = options.logger ?? createLogger({ service: 'federation', level: config.LOG_LEVEL });
  return startServiceApp({
    name: 'federation',
    module: FederationModule.forRoot({ config, logger, clock: options.clock }),
    natsUrl: config.NATS_URL,
    logger,
  });
}
