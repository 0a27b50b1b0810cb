import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { AppError, ErrorBody, toErrorBody } from '@gatehouse/errors';
import { Observable, throwError } from 'rxjs';
import type { Logger } from '../logging/logger';

/** Every error leaves a service as `{ code, message, details? }`; stacks stay in the log. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const body = reportRpcError(this.logger, host.switchToRpc().getContext()?.getSubject?.(), exception);
    return throwError(() => body);
  }
}

/**
 * Logs a failed message (a domain error briefly, anything else with its stack) and returns what the
 * caller gets: the filter's work, also done by GatehouseNatsServer for what fails outside a handler.
 */
export function reportRpcError(logger: Logger, subject: string | undefined, exception: unknown): ErrorBody {
  const body = toErrorBody(exception);
  if (exception instanceof AppError) {
    logger.info({ subject, code: body.code }, body.message);
  } else {
    logger.error({ subject, err: exception }, 'handler failed');
  }
  return body;
}
