import 'reflect-metadata';
import { exitOnConfigError } from '@gatehouse/config';
import { stopOnSignals } from '@gatehouse/platform';
import { bootstrapDirectory } from './bootstrap';
import { loadDirectoryConfig } from './config';

async function main() {
  const config = (() => {
    try {
      return loadDirectoryConfig();
    } catch (error) {
      return exitOnConfigError(error);
    }
  })();
  const app = await bootstrapDirectory(config);
  stopOnSignals([app]);
}

void main();
