import 'reflect-metadata';
import { INestApplication, INestMicroservice } from '@nestjs/common';
import { Env, exitOnConfigError } from '@gatehouse/config';
import { Clock, createLogger, startTracing, stopOnSignals } from '@gatehouse/platform';
import type { DestinationStream } from 'pino';
import { bootstrapAuth } from '../../apps/auth/src/bootstrap';
import { loadAuthConfig } from '../../apps/auth/src/config';
import { bootstrapDirectory } from '../../apps/directory/src/bootstrap';
import { loadDirectoryConfig } from '../../apps/directory/src/config';
import { bootstrapFederation } from '../../apps/federation/src/bootstrap';
import { loadFederationConfig } from '../../apps/federation/src/config';
import { bootstrapGateway } from '../../apps/gateway/src/bootstrap';
import { loadGatewayConfig } from '../../apps/gateway/src/config';
import { MetricsListener } from '../../apps/gateway/src/health/metrics-listener';
import { bootstrapMailer } from '../../apps/mailer/src/bootstrap';
import { loadMailerConfig } from '../../apps/mailer/src/config';
import { bootstrapSessions } from '../../apps/sessions/src/bootstrap';
import { loadSessionsConfig } from '../../apps/sessions/src/config';

export interface System {
  gateway: INestApplication;
  services: INestMicroservice[];
  url: string;
  /** Where the gateway's Prometheus `/metrics` is served (not on the public port). */
  metricsUrl: string;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: DestinationStream;
}

/** Every service and the gateway in one Node process: development and small installs. */
export async function startAll(env: Env, options: StartOptions = {}): Promise<System> {
  const configs = {
    auth: loadAuthConfig(env),
    sessions: loadSessionsConfig(env),
    directory: loadDirectoryConfig(env),
    federation: loadFederationConfig(env),
    mailer: loadMailerConfig(env),
    gateway: loadGatewayConfig(env),
  };
  const runtime = (service: string, level: Parameters<typeof createLogger>[0]['level']) => ({
    logger: createLogger({ service, level, destination: options.logDestination }),
    clock: options.clock,
  });
  const booted = await Promise.allSettled([
    bootstrapAuth(configs.auth, runtime('auth', configs.auth.LOG_LEVEL)),
    bootstrapSessions(configs.sessions, runtime('sessions', configs.sessions.LOG_LEVEL)),
    bootstrapDirectory(configs.directory, runtime('directory', configs.directory.LOG_LEVEL)),
    bootstrapFederation(configs.federation, runtime('federation', configs.federation.LOG_LEVEL)),
    bootstrapMailer(configs.mailer, runtime('mailer', configs.mailer.LOG_LEVEL)),
  ]);
  const services = booted.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  // On a failed start the apps already up are closed: they would reconnect to NATS for ever (and keep a test worker alive).
  const abandon = async (error: unknown): Promise<never> => {
    await Promise.allSettled(services.map((service) => service.close()));
    throw error;
  };
  const failed = booted.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) await abandon(failed.reason);
  const gateway = await bootstrapGateway(configs.gateway, runtime('gateway', configs.gateway.LOG_LEVEL)).catch(abandon);
  const address = gateway.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : configs.gateway.PORT;
  return {
    gateway,
    services,
    url: `http://127.0.0.1:${port}`,
    metricsUrl: gateway.get(MetricsListener).url,
    async close() {
      await gateway.close();
      await Promise.all(services.map((service) => service.close()));
    },
  };
}

if (require.main === module) {
  // OTEL_EXPORTER_OTLP_ENDPOINT set: one trace exporter for the whole process, before the services start.
  startTracing({ serviceName: 'gatehouse' })
    .then(() => startAll(process.env))
    .then((system) => stopOnSignals([system]))
    .catch((error) => {
      exitOnConfigError(error);
    });
}
