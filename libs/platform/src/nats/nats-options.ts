import type { NatsOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';
import { ContractDeserializer } from './contract.deserializer';

/** Connection settings every process uses: wait for NATS at boot and reconnect for ever. */
export function natsConnection(url: string, name: string) {
  return {
    servers: [url],
    name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 5000,
  };
}

/**
 * A service's server options. `queue` makes replicas share requests; the gateway listens
 * without one so that every gateway instance sees every event.
 */
export function natsServerOptions(url: string, name: string, queue?: string): NatsOptions {
  return {
    transport: Transport.NATS,
    options: {
      ...natsConnection(url, name),
      ...(queue ? { queue } : {}),
      deserializer: new ContractDeserializer(),
      gracefulShutdown: true,
      gracePeriod: 100,
    },
  };
}
