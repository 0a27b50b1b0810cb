import { Provider } from '@nestjs/common';
import { Clock, SystemClock } from './time/clock';
import { Logger } from './logging/logger';
import { CONFIG, LOGGER } from './tokens';
import { Metrics } from './metrics/metrics';

/** What a service is started with: its validated config, its logger and its clock. */
export interface ServiceRuntime<C> {
  config: C;
  logger: Logger;
  clock?: Clock;
  /** This app instance's metrics registry; made from the logger's `service` when not given. */
  metrics?: Metrics;
}

export function runtimeProviders<C>({ config, logger, clock, metrics }: ServiceRuntime<C>): Provider[] {
  return [
    { provide: CONFIG, useValue: config },
    { provide: LOGGER, useValue: logger },
    { provide: Clock, useValue: clock ?? new SystemClock() },
    { provide: Metrics, useValue: metrics ?? new Metrics(String(logger.bindings().service ?? 'gatehouse')) },
  ];
}
