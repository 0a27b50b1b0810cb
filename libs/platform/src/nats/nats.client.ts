import { ClientNats } from '@nestjs/microservices';
import { AppError, isErrorBody } from '@gatehouse/errors';
import { EventInputOf, EventSubject, ReplyOf, RequestOf, RequestSubject, eventContract, requestContract } from '@gatehouse/contracts';
import { ErrorCode, NatsError, headers as natsHeaders, type MsgHdrs, type NatsConnection } from 'nats';
import { CALL_BUDGET_HEADER, CALL_ID_HEADER, REQUEST_ID_HEADER, currentCall, currentRequestId } from '../logging/request-context';
import { natsConnection } from './nats-options';
import { injectTraceContext, traceNatsSend } from '../tracing/nats-tracing';
import { tracingEnabled } from '../tracing/tracing';

export interface SendOptions {
  timeoutMs?: number;
  /**
   * Idempotent reads only: ask again this many times when no replica answered in time (one died
   * mid-request, say). An error the service itself replied with is never retried.
   */
  retries?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** No connection in time (NATS down at boot): answered like a request nobody answered in time. */
class NotConnectedInTime extends Error {}

/**
 * The one way services talk: typed by the contracts, validated before sending and after
 * replying, the request id carried in a header, and every failure turned into an AppError.
 *
 * Messages are Nest's packets (`{ pattern, data, id }` out, `{ response | err, isDisposed }` back), but
 * sent through nats.js itself on the connection ClientNats keeps: Nest's client subscribed to a fresh
 * inbox per request (a SUB and an UNSUB to the NATS server each time) and wrapped each message in RxJS
 * streams, 20 KB of garbage per request (issue 23); nats.js answers every request on one shared inbox.
 */
export class NatsClient {
  private readonly client: ClientNats;
  /** A packet id makes a message a request for the server; replies find their caller by inbox, not by it. */
  private sequence = 0;

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
          return await this.request(subject, checked.data, options.timeoutMs ?? this.defaultTimeoutMs);
        } catch (error) {
          const unanswered = !(error instanceof AppError) && !isErrorBody(error);
          if (unanswered && attempt < (options.retries ?? 0)) continue;
          throw this.toAppError(subject, error);
        }
      }
    });
    // The reply's one validation: the handler's side only strips it to its contract's fields (GatehouseNatsServer).
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
        const connection = await this.connection(this.defaultTimeoutMs);
        connection.publish(subject, encoder.encode(JSON.stringify({ pattern: subject, data: parsed })), { headers: this.headers() });
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

  /** One request and its reply: the reply's `response`, or what it carries as `err` thrown. */
  private async request(subject: string, data: unknown, timeoutMs: number): Promise<unknown> {
    const deadline = performance.now() + timeoutMs;
    const connection = await this.connection(timeoutMs);
    const packet = { pattern: subject, data, id: String(++this.sequence) };
    const message = await connection.request(subject, encoder.encode(JSON.stringify(packet)), {
      timeout: Math.max(1, Math.round(deadline - performance.now())),
      headers: this.headers(deadline),
    });
    // an empty message is NATS saying no one listens (a no-responders status): unanswered
    if (!message.data.length) throw new Error(`no reply on ${subject}`);
    const reply = JSON.parse(decoder.decode(message.data)) as { err?: unknown; response?: unknown; isDisposed?: boolean } | null;
    // a responder other than a Nest server answers with the value itself (as Nest's client reads it)
    if (!reply || (reply.err === undefined && reply.response === undefined && reply.isDisposed === undefined)) return reply;
    if (reply.err !== undefined && reply.err !== null) throw reply.err;
    if (reply.response === undefined) throw new Error(`no reply on ${subject}`);
    return reply.response;
  }

  /** The connection, once made; the first waits for it, at most `timeoutMs`. */
  private async connection(timeoutMs: number): Promise<NatsConnection> {
    try {
      return this.client.unwrap<NatsConnection>();
    } catch {
      let timer: NodeJS.Timeout | undefined;
      try {
        return (await Promise.race([
          this.client.connect(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new NotConnectedInTime()), timeoutMs))),
        ])) as NatsConnection;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /**
   * The request id and, when tracing is on, the W3C traceparent of the send span; none when neither is there.
   * A request (`deadline`: when this caller stops waiting) inside a call carries the call's id and what is left
   * of the wait, the call's own deadline included, so the other side can drop work nobody waits for.
   */
  private headers(deadline?: number): MsgHdrs | undefined {
    const requestId = currentRequestId();
    let headers: MsgHdrs | undefined;
    if (requestId) (headers = natsHeaders()).set(REQUEST_ID_HEADER, requestId);
    const call = deadline === undefined ? undefined : currentCall();
    if (call) {
      const until = call.deadline === undefined ? deadline! : Math.min(deadline!, call.deadline);
      headers ??= natsHeaders();
      headers.set(CALL_ID_HEADER, call.id());
      headers.set(CALL_BUDGET_HEADER, String(Math.max(1, Math.round(until - performance.now()))));
    }
    if (tracingEnabled()) injectTraceContext((headers ??= natsHeaders()));
    return headers;
  }

  private toAppError(subject: string, error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (isErrorBody(error)) return AppError.fromBody(error);
    const late = error instanceof NotConnectedInTime || (error instanceof NatsError && error.code === ErrorCode.Timeout);
    if (late) return new AppError('service_unavailable', `no answer on ${subject} in time`);
    return new AppError('service_unavailable', `${subject} could not be reached`);
  }
}
