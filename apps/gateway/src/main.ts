import 'reflect-metadata';
import { exitOnConfigError } from '@gatehouse/config';
import { startTracing, stopOnSignals } from '@gatehouse/platform';
import { bootstrapGateway } from './bootstrap';
import { loadGatewayConfig } from './config';

async function main() {
  const config = (() => {
    try {
      return loadGatewayConfig();
    } catch (error) {
      return exitOnConfigError(error);
    }
  })();
  await startTracing({ serviceName: 'gateway' }); // only when OTEL_EXPORTER_OTLP_ENDPOINT is set
  const app = await bootstrapGateway(config);
  stopOnSignals([app]);
}

void main();
