import 'reflect-metadata';
import { exitOnConfigError } from '@gatehouse/config';
import { stopOnSignals } from '@gatehouse/platform';
import { bootstrapAuth } from './bootstrap';
import { loadAuthConfig } from './config';

async function main() {
  const config = (() => {
    try {
      return loadAuthConfig();
    } catch (error) {
      return exitOnConfigError(error);
    }
  })();
  const app = await bootstrapAuth(config);
  stopOnSignals([app]);
}

void main();
