import 'reflect-metadata';
import { exitOnConfigError } from '@gatehouse/config';
import { stopOnSignals } from '@gatehouse/platform';
import { bootstrapFederation } from './bootstrap';
import { loadFederationConfig } from './config';

async function main() {
  const config = (() => {
    try {
      return loadFederationConfig();
    } catch (error) {
      return exitOnConfigError(error);
    }
  })();
  const app = await bootstrapFederation(config);
  stopOnSignals([app]);
}

void main();
