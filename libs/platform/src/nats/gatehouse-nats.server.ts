import { NatsContext, NatsOptions, ServerNats } from '@nestjs/microservices';
import { AppError, isErrorBody } from '@gatehouse/errors';
import { NOT_THE_SHAPE } from '@gatehouse/contracts';
import type { Msg } from 'nats';
import { Observable, isObservable } from 'rxjs';
import type { Logger } from '../logging/logger';
import {
  CALL_BUDGET_HEADER,
  CALL_ID_HEADER,
  REQUEST_ID_HEADER,
  acceptCall,
  acceptRequestId,
  runWithRequestId,
} from '../logging/request-context';
import { Metrics, recordNatsHandled } from '../metrics/metrics';
import { HandlerSpan, startHandlerSpan } from '../tracing/nats-tracing';
import { ContractDeserializer, MALFORMED } from './contract.deserializer';
import { ContractMeta, contractOf } from './rpc-handler.decorator';
import { reportRpcError } from './rpc-exception.filter';

/** Nest's NATS options (its deserializer is always the ContractDeserializer) and the app's logger. */
export type GatehouseNatsServerOptions = Omit<NonNullable<NatsOptions['options']>, 'deserializer'> & { logger: Logger };

/** What a request's reply is sent as (Nest's packet, which ClientNats reads). */
type ReplyPacket = { response: unknown; isDisposed: true } | { err: unknown; isDisposed: true };

/**
 * Nest's NATS server, doing the contract work of @RpcHandler and @EventHandler itself. Per message, it
 * validates the payload against the contract, runs the handler inside the caller's request id (and
 * trace span, from the message's headers), records the handler metrics and sends only the reply's
 * contract fields. As a Nest interceptor this work went through Nest's interceptor chain (RxJS defer,
 * mergeAll, async-resource binds), which cost more than the work itself: ~16 KB of garbage and tens
 * of µs per message (issue 23). The handler itself is still Nest's (its exception filters apply);
 * a handler without a contract goes Nest's way unchanged.
 *
 * The reply is validated where it arrives (NatsClient.send, the only way a reply is read): parsing it
 * here too made as much garbage again (170 KB for a page of 50 users), so here it is stripped (same
 * output as the parse for a valid reply) and parsed in full only when it is not even the shape, to say
 * why, or when the contract's parse does more than strip (transforms, defaults, unions).
 */
export class GatehouseNatsServer extends ServerNats {
  private readonly log: Logger;
  private readonly decoder: ContractDeserializer;
  private metrics?: Metrics;

  constructor({ logger, ...options }: GatehouseNatsServerOptions) {
    const decoder = new ContractDeserializer();
    super({ ...options, deserializer: decoder });
    this.log = logger;
    this.decoder = decoder;
  }

  /** The app's metrics registry (known once the app is created, before it listens). */
  useMetrics(metrics: Metrics | undefined): void {
    this.metrics = metrics;
  }

  /**
   * Routes by the plain subject. Nest JSON.parses every incoming subject to allow object patterns
   * (which no handler here uses): for a plain subject the parse throws, an Error and ~5 µs per message.
   * A server's channel is the route it registered, so it is its own route.
   */
  override getRouteFromPattern(pattern: string): string {
    return pattern;
  }

  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    const handler = this.messageHandlers.get(channel);
    const contract = contractOf(handler?.extras);
    if (!handler || !contract) return super.handleMessage(channel, natsMsg);
    // never throws, and answers synchronously
    const message = this.decoder.deserialize(natsMsg.data, { channel, replyTo: natsMsg.reply });
    const context = new NatsContext([natsMsg.subject, natsMsg.headers]);
    const id = 'id' in message ? message.id : undefined;
    const publish = id === undefined ? undefined : this.getPublisher(natsMsg, id, context);
    const headers = natsMsg.headers;
    const requestId = acceptRequestId(headers?.get(REQUEST_ID_HEADER) || undefined);
    // the caller's call, for a request (an event's sender waits for nothing)
    const call =
      publish && headers ? acceptCall(headers.get(CALL_ID_HEADER), headers.get(CALL_BUDGET_HEADER), performance.now()) : undefined;
    return runWithRequestId(
      requestId,
      () => {
        // tracing on: the handler runs inside a `process <subject>` span, child of the sender's (its headers)
        const span = startHandlerSpan(headers, contract.subject, contract.output !== undefined, requestId);
        const run = () =>
          this.onProcessingStartHook(this.transportId, context, () => this.run(handler, contract, message.data, context, span, publish));
        return span ? span.run(run) : run();
      },
      call,
    );
  }

  private async run(
    handler: (data: unknown, context: NatsContext) => Promise<unknown>,
    contract: ContractMeta,
    data: unknown,
    context: NatsContext,
    span: HandlerSpan | undefined,
    publish: ((packet: ReplyPacket) => unknown) | undefined,
  ): Promise<void> {
    const started = performance.now();
    const parsed = data === MALFORMED ? undefined : contract.input.safeParse(data);
    if (!parsed?.success) {
      const issue = parsed?.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      const subject = contract.subject;
      const error = new AppError('validation_failed', parsed ? `${subject}: ${issue?.message}${where}` : `${subject}: payload is not JSON`);
      return this.failed(contract, error, reportRpcError(this.log, subject, error), started, span, context, publish);
    }
    let result: unknown;
    try {
      // Nest's handler: its exception filters turn what it throws into an error stream
      result = await handler(parsed.data, context);
    } catch (error) {
      return this.failed(contract, error, reportRpcError(this.log, contract.subject, error), started, span, context, publish);
    }
    if (isObservable(result)) return this.settle(contract, result, started, span, context, publish);
    this.succeeded(contract, result, started, span, context, publish);
  }

  /** A handler that returned a stream (an error from the exception filters, or an Observable): its last value answers. */
  private settle(
    contract: ContractMeta,
    result: Observable<unknown>,
    started: number,
    span: HandlerSpan | undefined,
    context: NatsContext,
    publish: ((packet: ReplyPacket) => unknown) | undefined,
  ): Promise<void> {
    return new Promise((resolve) => {
      let last: unknown;
      result.subscribe({
        next: (value) => (last = value),
        error: (body: unknown) => resolve(this.failed(contract, body, body, started, span, context, publish)),
        complete: () => resolve(this.succeeded(contract, last, started, span, context, publish)),
      });
    });
  }

  private succeeded(
    contract: ContractMeta,
    reply: unknown,
    started: number,
    span: HandlerSpan | undefined,
    context: NatsContext,
    publish: ((packet: ReplyPacket) => unknown) | undefined,
  ): void {
    let response: unknown;
    try {
      response = publish && contract.output ? this.contractReply(contract, reply) : undefined;
    } catch (error) {
      return this.failed(contract, error, reportRpcError(this.log, contract.subject, error), started, span, context, publish);
    }
    this.record(contract.subject, 'ok', started);
    span?.end();
    if (this.log.isLevelEnabled('debug')) {
      this.log.debug({ subject: contract.subject, ms: Math.round(performance.now() - started) }, `handled ${contract.subject}`);
    }
    if (publish) publish({ response, isDisposed: true });
    else this.onProcessingEndHook?.(this.transportId, context);
  }

  /** `error` as thrown (or as the exception filters made it), `body` what the caller gets. */
  private failed(
    contract: ContractMeta,
    error: unknown,
    body: unknown,
    started: number,
    span: HandlerSpan | undefined,
    context: NatsContext,
    publish: ((packet: ReplyPacket) => unknown) | undefined,
  ): void {
    this.record(contract.subject, outcomeOf(error), started);
    span?.end(error);
    if (publish) publish({ err: body, isDisposed: true });
    else this.onProcessingEndHook?.(this.transportId, context);
  }

  private contractReply({ subject, output, strip }: ContractMeta, reply: unknown): unknown {
    const stripped = strip ? strip(reply) : NOT_THE_SHAPE;
    if (stripped !== NOT_THE_SHAPE) return stripped;
    const checked = output!.safeParse(reply);
    if (!checked.success) throw new Error(`reply of ${subject} breaks its contract: ${checked.error.message}`);
    return checked.data;
  }

  private record(subject: string, outcome: string, started: number): void {
    if (this.metrics) recordNatsHandled(this.metrics, subject, outcome, (performance.now() - started) / 1000);
  }
}

/**
 * The metrics' outcome: a domain error's code, `error` for anything else. A handler's error arrives as
 * the exception filters made it, an error body (services) or Nest's `{ status: 'error' }` (the gateway).
 */
function outcomeOf(error: unknown): string {
  if (error instanceof AppError) return error.code;
  return isErrorBody(error) && error.code !== 'internal_error' ? error.code : 'error';
}
