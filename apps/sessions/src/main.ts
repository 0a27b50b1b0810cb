import 'reflect-metadata';
import { exitOnConfigError } from '@gatehouse/config';
import { stopOnSignals } from '@gatehouse/platform';
import { bootstrapSessions } from './bootstrap';
import { loadSessionsConfig } from './config';

async function main() {
  const config = (() => {
    try {
      return loadSessionsConfig();
    } catch (error) {
      return exitOnConfigError(error);
    }
  })();
  const app = await bootstrapSessions(config);
  stopOnSignals([app]);
}

void main();
