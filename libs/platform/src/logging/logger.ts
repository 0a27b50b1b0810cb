import { AsyncLocalStorage } from 'node:async_hooks';
import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';
import { currentRequestId } from './request-context';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Secrets never reach a log line, whatever object a caller logs. */
const redactPaths = [
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'pollToken',
  '*.pollToken',
  'proof',
  '*.proof',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'key',
  '*.key',
];

export interface LoggerOptions {
  service: string;
  level: LogLevel;
  destination?: DestinationStream;
}

/** JSON lines with the service name and the request id of the work in progress. */
export function createLogger({ service, level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: { paths: redactPaths, censor: '[redacted]' },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ sync: false }),
  );
}

const appLogger = new AsyncLocalStorage<Logger>();

/**
 * Runs an app's start (and, through async context, all the work it sets up) under its own logger.
 * Nest keeps one process-wide logger, the last app created: with every app in one process
 * (`npm start`), Nest's lines would otherwise all carry that one's service.
 */
export const runWithAppLogger = <T>(logger: Logger, fn: () => T): T => appLogger.run(logger, fn);

/** Nest's own messages (startup, routes) through the same JSON logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly fallback: Logger) {}

  private get logger(): Logger {
    return appLogger.getStore() ?? this.fallback;
  }

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

export type { Logger } from 'pino';
