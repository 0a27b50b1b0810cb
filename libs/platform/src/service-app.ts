import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import type { ServiceName } from '@gatehouse/contracts';
import { Logger, NestPinoLogger } from './logging/logger';
import { natsServerOptions } from './nats/nats-options';
import { RpcErrorFilter } from './nats/rpc-exception.filter';

export interface ServiceAppOptions {
  name: ServiceName;
  module: DynamicModule;
  natsUrl: string;
  logger: Logger;
}

/** Boots one service as a NATS microservice whose replicas share the queue `<service>`. */
export async function startServiceApp({ name, module, natsUrl, logger }: ServiceAppOptions): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    ...natsServerOptions(natsUrl, `gatehouse-${name}`, name),
    logger: new NestPinoLogger(logger),
  });
  app.useGlobalFilters(new RpcErrorFilter(logger));
  await app.listen();
  logger.info({ event: 'service.started' }, `${name} is listening on NATS`);
  return app;
}
