import { INestMicroservice } from '@nestjs/common';
import { Clock, Logger, createLogger, startServiceApp } from '@gatehouse/platform';
import { DirectoryModule } from './app.module';
import { DirectoryConfig } from './config';

export interface DirectoryOptions {
  logger?: Logger;
  clock?: Clock;
}

export function bootstrapDirectory(config: DirectoryConfig, options: DirectoryOptions = {}): Promise<INestMicroservice> {
  const logger = options.logger ?? createLogger({ service: 'directory', level: config.LOG_LEVEL });
  return startServiceApp({
    name: 'directory',
    module: DirectoryModule.forRoot({ config, logger, clock: options.clock }),
    natsUrl: config.NATS_URL,
    logger,
  });
}
