import { ClientNats, NatsRecordBuilder } from '@nestjs/microservices';
import { AppError, isErrorBody } from '@gatehouse/errors';
import { EventInputOf, EventSubject, ReplyOf, RequestOf, RequestSubject, eventContract, requestContract } from '@gatehouse/contracts';
import { headers as natsHeaders, type NatsConnection } from 'nats';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { REQUEST_ID_HEADER, currentRequestId } from '../logging/request-context';
import { natsConnection } from './nats-options';
import { injectTraceContext, traceNatsSend } from '../tracing/nats-tracing';

export interface SendOptions {
  timeoutMs?: number;
  /**
   * Idempotent reads only: ask again this many times when no replica answered in time (one died
   * mid-request, say). An error the service itself replied with is never retried.
   */
  retries?: number;
}

/**
 * The one way services talk: typed by the contracts, validated before sending and after
 * replying, the request id carried in a header, and every failure turned into an AppError.
 */
export class NatsClient {
  private readonly client: ClientNats;

  constructor(
    url: string,
    name: string,
    private readonly defaultTimeoutMs: number,
  ) {
    this.client = new ClientNats(natsConnection(url, name));
  }

  async send<S extends RequestSubject>(subject: S, payload: RequestOf<S>, options: SendOptions = {}): Promise<ReplyOf<S>> {
    const contract = requestContract(subject);
    const checked = contract.req.safeParse(payload);
    if (!checked.success) {
      throw new AppError('validation_failed', `request for ${subject} is invalid: ${checked.error.issues[0]?.message}`);
    }
    const reply = await traceNatsSend(subject, true, currentRequestId(), async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await firstValueFrom(
            this.client.send(subject, this.record(checked.data)).pipe(timeout(options.timeoutMs ?? this.defaultTimeoutMs)),
          );
        } catch (error) {
          const unanswered = !(error instanceof AppError) && !isErrorBody(error);
          if (unanswered && attempt < (options.retries ?? 0)) continue;
          throw this.toAppError(subject, error);
        }
      }
    });
    // The reply's one validation: the handler's side only strips it to its contract's fields (ContractInterceptor).
    const parsed = contract.res.safeParse(reply);
    if (!parsed.success) {
      const error = new AppError('internal_error', `reply from ${subject} does not match its contract`);
      error.cause = parsed.error; // where and why, for the log: the caller sees only the message
      throw error;
    }
    return parsed.data as ReplyOf<S>;
  }

  async emit<S extends EventSubject>(subject: S, payload: EventInputOf<S>): Promise<void> {
    const parsed = eventContract(subject).payload.parse(payload);
    await traceNatsSend(subject, false, currentRequestId(), async () => {
      try {
        await firstValueFrom(this.client.emit(subject, this.record(parsed)).pipe(timeout(this.defaultTimeoutMs)), {
          defaultValue: undefined,
        });
      } catch (error) {
        throw this.toAppError(subject, error);
      }
    });
  }

  /** Round trip to the NATS server itself, for readiness. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const connection = await Promise.race([
        this.client.connect() as Promise<NatsConnection>,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
      ]);
      clearTimeout(timer);
      await Promise.race([
        connection.rtt(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  connect(): Promise<unknown> {
    return this.client.connect();
  }

  async close(): Promise<void> {
    try {
      const connection = this.client.unwrap<NatsConnection>();
      await connection.drain();
    } catch {
      // not connected: nothing to drain
    }
    await this.client.close();
  }

  private record(data: unknown) {
    const headers = natsHeaders();
    const requestId = currentRequestId();
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    injectTraceContext(headers); // W3C traceparent of the send span, when tracing is on
    return new NatsRecordBuilder(data).setHeaders(headers).build();
  }

  private toAppError(subject: string, error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (isErrorBody(error)) return AppError.fromBody(error);
    if (error instanceof TimeoutError) return new AppError('service_unavailable', `no answer on ${subject} in time`);
    return new AppError('service_unavailable', `${subject} could not be reached`);
  }
}
