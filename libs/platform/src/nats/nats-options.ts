import type { CustomStrategy } from '@nestjs/microservices';
import type { Logger } from '../logging/logger';
import { GatehouseNatsServer } from './gatehouse-nats.server';

/** Connection settings every process uses: wait for NATS at boot and reconnect for ever. */
export function natsConnection(url: string, name: string) {
  return {
    servers: [url],
    name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 5000,
    // nats.js would capture two stack traces per request (for its own errors' messages): garbage on every call
    noAsyncTraces: true,
  };
}

export interface NatsServerOptions {
  /** Makes replicas share requests; the gateway listens without one so that every gateway instance sees every event. */
  queue?: string;
  /** The app's logger: payloads refused by their contract are logged there, as the exception filter logs. */
  logger: Logger;
}

/** A server's options: its strategy validates each handler's messages against the contract (GatehouseNatsServer). */
export function natsServerOptions(
  url: string,
  name: string,
  { queue, logger }: NatsServerOptions,
): CustomStrategy & { strategy: GatehouseNatsServer } {
  return {
    strategy: new GatehouseNatsServer({
      ...natsConnection(url, name),
      ...(queue ? { queue } : {}),
      logger,
      gracefulShutdown: true,
      gracePeriod: 100,
    }),
  };
}
