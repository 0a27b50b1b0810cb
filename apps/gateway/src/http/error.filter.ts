import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { AppError, ErrorBody, ErrorCode, httpStatusOf, toErrorBody } from '@gatehouse/errors';
import type { FastifyReply } from 'fastify';
import type { Logger } from '@gatehouse/platform';

/** HTTP statuses that Nest or Fastify raise themselves, as our codes. */
const codeOfStatus: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'validation_failed',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** Every HTTP error is `{ error: { code, message, details? } }` with the code's status. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    const status = httpStatusOf(body.code);
    if (status >= 500) this.logger.error({ err: exception, code: body.code }, 'request failed');
    if (exception instanceof AppError && typeof exception.details?.retryAfterSeconds === 'number') {
      void reply.header('retry-after', String(Math.ceil(exception.details.retryAfterSeconds)));
    }
    void reply.status(status).send({ error: body });
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeOfStatus[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed');
      const message = status === 404 ? 'No such route' : exception.message;
      return { code, message };
    }
    // Fastify's own errors (malformed JSON, body too large) carry a statusCode.
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (!(exception instanceof AppError) && typeof statusCode === 'number' && statusCode < 500) {
      return { code: codeOfStatus[statusCode] ?? 'validation_failed', message: (exception as Error).message };
    }
    return toErrorBody(exception);
  }
}
