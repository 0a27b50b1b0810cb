import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { usesDevelopmentKey } from '@gatehouse/config';
import type { ServiceName } from '@gatehouse/contracts';
import { Logger, NestPinoLogger, runWithAppLogger } from './logging/logger';
import { natsServerOptions } from './nats/nats-options';
import { RpcErrorFilter } from './nats/rpc-exception.filter';
import { NatsClient } from './nats/nats.client';
import { HEALTH_CHECKS, HealthChecks } from './health/health.controller';
import { startHealthHttp, stopHealthHttp } from './health/health-http';
import { Metrics } from './metrics/metrics';
import { CONFIG } from './tokens';
import { startTracing } from './tracing/tracing';

export interface ServiceAppOptions {
  name: ServiceName;
  module: DynamicModule;
  natsUrl: string;
  logger: Logger;
}

/** Boots one service as a NATS microservice whose replicas share the queue `<service>`. */
export function startServiceApp(options: ServiceAppOptions): Promise<INestMicroservice> {
  return runWithAppLogger(options.logger, () => startInScope(options));
}

async function startInScope({ name, module, natsUrl, logger }: ServiceAppOptions): Promise<INestMicroservice> {
  // OTEL_EXPORTER_OTLP_ENDPOINT set: this process traces (once; `npm start` names it `gatehouse` first). Unset: nothing loads.
  await startTracing({ serviceName: name });
  const nats = natsServerOptions(natsUrl, `gatehouse-${name}`, { queue: name, logger });
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, { ...nats, logger: new NestPinoLogger(logger) });
  app.useGlobalFilters(new RpcErrorFilter(logger));
  nats.strategy.useMetrics(optional<Metrics>(app, Metrics));
  try {
    await app.listen();
    logger.info({ event: 'service.started' }, `${name} is listening on NATS`);
    warnOnDevelopmentKey(app, logger);
    await startHealthListener(app, logger);
  } catch (error) {
    // A failed start (the health port in use) must not leave the NATS client reconnecting for ever.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** Development runs on the published key with no configuration; it must never do so silently. */
function warnOnDevelopmentKey(app: INestMicroservice, logger: Logger): void {
  if (!usesDevelopmentKey(app.get<object>(CONFIG, { strict: false }))) return;
  logger.warn(
    { event: 'config.development_key', variable: 'GATEHOUSE_ENCRYPTION_KEY' },
    'GATEHOUSE_ENCRYPTION_KEY is not set: secrets at rest are sealed with the built-in development key, which is published. ' +
      'Set it (openssl rand -base64 32) before storing any real secret; NODE_ENV=production refuses to start without it.',
  );
}

/** HEALTH_PORT set (not 0): /health/live, /health/ready and /metrics over HTTP, for probes and Prometheus. */
async function startHealthListener(app: INestMicroservice, logger: Logger): Promise<void> {
  const config = app.get<{ HEALTH_PORT?: number; HEALTH_HOST?: string; NATS_URL: string }>(CONFIG, { strict: false });
  if (!config.HEALTH_PORT) return;
  // Readiness includes this process's reach to NATS; a service without a client gets one for it.
  const own = optional<NatsClient>(app, NatsClient);
  const nats = own ?? new NatsClient(config.NATS_URL, `gatehouse-${logger.bindings().service}-health`, 1000);
  const server = await startHealthHttp({
    port: config.HEALTH_PORT,
    host: config.HEALTH_HOST,
    checks: optional<HealthChecks>(app, HEALTH_CHECKS) ?? {},
    nats: () => nats.ping(),
    metrics: app.get(Metrics, { strict: false }),
  });
  logger.info({ event: 'health.listening', port: config.HEALTH_PORT }, `health and metrics on port ${config.HEALTH_PORT}`);
  // Stop answering probes first, then close the service as before.
  const close = app.close.bind(app);
  app.close = async () => {
    await stopHealthHttp(server);
    await close();
    if (!own) await nats.close();
  };
}

function optional<T>(app: INestMicroservice, token: unknown): T | undefined {
  try {
    // Through ModuleRef: a failed app.get() would abort the process (Nest's abortOnError).
    return app.get(ModuleRef).get(token as never, { strict: false }) as T;
  } catch {
    return undefined;
  }
}
