import 'reflect-metadata';
import { exitOnConfigError } from '@gatehouse/config';
import { stopOnSignals } from '@gatehouse/platform';
import { bootstrapMailer } from './bootstrap';
import { loadMailerConfig } from './config';

async function main() {
  const config = (() => {
    try {
      return loadMailerConfig();
    } catch (error) {
      return exitOnConfigError(error);
    }
  })();
  const app = await bootstrapMailer(config);
  stopOnSignals([app]);
}

void main();
