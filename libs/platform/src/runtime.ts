import { Provider } from '@nestjs/common';
import { Clock, SystemClock } from './time/clock';
import { Logger } from './logging/logger';
import { CONFIG, LOGGER } from './tokens';

/** What a service is started with: its validated config, its logger and its clock. */
export interface ServiceRuntime<C> {
  config: C;
  logger: Logger;
  clock?: Clock;
}

export function runtimeProviders<C>({ config, logger, clock }: ServiceRuntime<C>): Provider[] {
  return [
    { provide: CONFIG, useValue: config },
    { provide: LOGGER, useValue: logger },
    { provide: Clock, useValue: clock ?? new SystemClock() },
  ];
}
