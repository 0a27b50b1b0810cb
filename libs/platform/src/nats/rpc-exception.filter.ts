import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { AppError, toErrorBody } from '@gatehouse/errors';
import { Observable, throwError } from 'rxjs';
import type { Logger } from '../logging/logger';

/** Every error leaves a service as `{ code, message, details? }`; stacks stay in the log. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const subject = host.switchToRpc().getContext()?.getSubject?.();
    const body = toErrorBody(exception);
    if (exception instanceof AppError) {
      this.logger.info({ subject, code: body.code }, body.message);
    } else {
      this.logger.error({ subject, err: exception }, 'handler failed');
    }
    return throwError(() => body);
  }
}
