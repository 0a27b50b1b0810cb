import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import {
  Clock,
  Logger,
  Metrics,
  NatsClient,
  NestPinoLogger,
  acceptRequestId,
  createLogger,
  natsServerOptions,
  registerHttpMetrics,
  runWithAppLogger,
} from '@gatehouse/platform';
import { GatewayModule } from './app.module';
import { GatewayConfig } from './config';
import { HttpErrorFilter } from './http/error.filter';
import { registerRequestId } from './http/request-id.hook';
import { registerJsonBodyParser } from './http/json-body.parser';
import { securityHeaders } from './http/security-headers.hook';
import { publicOpenApiDocument } from './http/openapi-document';
import { API_PREFIX as PUBLIC_API_PREFIX, CallSubjects } from '@gatehouse/contracts';

export interface GatewayOptions {
  logger?: Logger;
  clock?: Clock;
}

/** Nest's global prefix: the contracts' API_PREFIX without its leading slash. */
const API_PREFIX = PUBLIC_API_PREFIX.slice(1);

export function bootstrapGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<INestApplication> {
  const logger = options.logger ?? createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  return runWithAppLogger(logger, () => startGateway(config, logger, options));
}

async function startGateway(config: GatewayConfig, logger: Logger, options: GatewayOptions): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: config.TRUST_PROXY,
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => acceptRequestId(request.headers['x-request-id']),
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot({ config, logger, clock: options.clock }), adapter, {
    logger: new NestPinoLogger(logger),
  });
  try {
    return await serveGateway(app, adapter, config, logger);
  } catch (error) {
    // A failed start (a port in use, a Swagger error) must not leave the app's NATS client reconnecting for ever.
    await app.close().catch(() => undefined);
    throw error;
  }
}

async function serveGateway(
  app: NestFastifyApplication,
  adapter: FastifyAdapter,
  config: GatewayConfig,
  logger: Logger,
): Promise<INestApplication> {
  // A client that left before its answer: services drop the call's queued work (a login's key stretching).
  const nats = app.get(NatsClient);
  const abandoned = (callId: string) =>
    void nats.emit(CallSubjects.abandoned, { callId }).catch((error: unknown) => logger.debug({ err: error }, 'call abandonment not told'));
  registerRequestId(app.getHttpAdapter().getInstance(), securityHeaders(API_PREFIX), abandoned);
  registerJsonBodyParser(adapter);
  registerHttpMetrics(app.getHttpAdapter().getInstance(), app.get(Metrics));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready'] });
  app.useGlobalFilters(new HttpErrorFilter(logger));

  // Events every gateway instance must see (no queue group): pushes to its own sockets.
  const events = natsServerOptions(config.NATS_URL, 'gatehouse-gateway-events', { logger });
  app.connectMicroservice(events);
  events.strategy.useMetrics(app.get(Metrics));

  const document = publicOpenApiDocument(app);
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json` });
  // DESIGN.md names /api/docs; the same page under the version prefix too.
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  logger.info({ event: 'gateway.started', url: await app.getUrl() }, `gateway listening on ${config.HOST}:${config.PORT}`);
  return app;
}
