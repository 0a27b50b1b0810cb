import 'reflect-metadata';
import { exitOnConfigError } from '@gatehouse/config';
import { stopOnSignals } from '@gatehouse/platform';
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
  const app = await bootstrapGateway(config);
  stopOnSignals([app]);
}

void main();
