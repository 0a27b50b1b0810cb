import { ErrorCode, isErrorCode } from './error-codes';

/** The one error shape that crosses every boundary (NATS replies and HTTP bodies). */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** A domain error: thrown by rules, turned into an ErrorBody by each service's filter. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }

  static fromBody(body: ErrorBody): AppError {
    return new AppError(body.code, body.message, body.details);
  }
}

export const isErrorBody = (value: unknown): value is ErrorBody =>
  typeof value === 'object' &&
  value !== null &&
  isErrorCode((value as { code?: unknown }).code) &&
  typeof (value as { message?: unknown }).message === 'string';

/** Anything thrown, as an ErrorBody; what is not an AppError becomes internal_error with no detail. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return error.toBody();
  if (isErrorBody(error)) return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  return { code: 'internal_error', message: 'Internal error' };
}
