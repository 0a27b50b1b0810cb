import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  Optional,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EventPattern, MessagePattern, NatsContext } from '@nestjs/microservices';
import { AppError } from '@gatehouse/errors';
import { EventSubject, NOT_THE_SHAPE, RequestSubject, Strip, compileStrip, eventContract, requestContract } from '@gatehouse/contracts';
import type { z } from 'zod';
import { Observable, Subscriber, map, tap } from 'rxjs';
import type { Logger } from '../logging/logger';
import { LOGGER } from '../tokens';
import { Metrics, recordNatsHandled } from '../metrics/metrics';

const CONTRACT = Symbol('rpc contract');
interface ContractMeta {
  subject: string;
  input: z.ZodType;
  output?: z.ZodType;
  /** The reply's strip (libs/contracts/src/strip.ts); undefined when only a full parse gives what leaves. */
  strip?: Strip;
}
import { MALFORMED } from './contract.deserializer';
import { REQUEST_ID_HEADER, acceptRequestId, runWithRequestId } from '../logging/request-context';
import { HandlerSpan, startHandlerSpan } from '../tracing/nats-tracing';

/**
 * Validates the payload against the contract (replacing it with the parsed value), runs the
 * handler inside the caller's request id, and sends only the reply's contract fields. The reply is
 * validated where it arrives (NatsClient.send, the only way a reply is read): parsing it here too
 * made as much garbage again (issue 23: 170 KB for a page of 50 users), so here it is stripped
 * (same output as the parse for a valid reply) and parsed in full only when it is not even the shape,
 * to say why, or when the contract's parse does more than strip (transforms, defaults, unions).
 */
@Injectable()
export class ContractInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const headers = rpc.getContext<NatsContext>().getHeaders?.();
    const requestId = acceptRequestId(headers?.get(REQUEST_ID_HEADER) || undefined);
    const { subject, input, output, strip } = this.reflector.get<ContractMeta>(CONTRACT, context.getHandler());
    return new Observable((subscriber) => {
      // tracing on: the handler runs inside a `process <subject>` span, child of the sender's (its headers)
      const span = startHandlerSpan(headers, subject, output !== undefined, requestId);
      const handle = () => this.handle(context, next, subscriber, { subject, input, output, strip }, span);
      return runWithRequestId(requestId, () => (span ? span.run(handle) : handle()));
    });
  }

  private handle(
    context: ExecutionContext,
    next: CallHandler,
    subscriber: Subscriber<unknown>,
    { subject, input, output, strip }: ContractMeta,
    span: HandlerSpan | undefined,
  ) {
    const rpc = context.switchToRpc();
    const started = performance.now();
    const data = rpc.getData();
    const parsed = data === MALFORMED ? undefined : input.safeParse(data);
    const record = (outcome: string) =>
      this.metrics && recordNatsHandled(this.metrics, subject, outcome, (performance.now() - started) / 1000);
    if (!parsed?.success) {
      record('validation_failed');
      const issue = parsed?.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      const error = new AppError('validation_failed', parsed ? `${subject}: ${issue?.message}${where}` : `${subject}: payload is not JSON`);
      span?.end(error);
      subscriber.error(error);
      return;
    }
    context.getArgs()[0] = parsed.data;
    const reply$ = output
      ? next.handle().pipe(
          map((reply) => {
            const stripped = strip ? strip(reply) : NOT_THE_SHAPE;
            if (stripped !== NOT_THE_SHAPE) return stripped;
            const checked = output.safeParse(reply);
            if (!checked.success) throw new Error(`reply of ${subject} breaks its contract: ${checked.error.message}`);
            return checked.data;
          }),
        )
      : next.handle();
    return reply$
      .pipe(
        tap({
          complete: () => {
            record('ok');
            span?.end();
            this.logger.debug({ subject, ms: Math.round(performance.now() - started) }, `handled ${subject}`);
          },
          error: (error: unknown) => {
            record(error instanceof AppError ? error.code : 'error');
            span?.end(error);
          },
        }),
      )
      .subscribe(subscriber);
  }
}

/** A NATS request handler for a contract subject, shared by the service's replicas. */
export function RpcHandler(subject: RequestSubject, queue?: string) {
  const contract = requestContract(subject);
  return applyDecorators(
    MessagePattern(subject, queue ? { queue } : undefined),
    SetMetadata(CONTRACT, { subject, input: contract.req, output: contract.res, strip: compileStrip(contract.res) } satisfies ContractMeta),
    UseInterceptors(ContractInterceptor),
  );
}

/**
 * A NATS event handler. `queue` set: one replica of the group handles each event;
 * unset: every instance does (the gateway, which pushes to its own sockets).
 */
export function EventHandler(subject: EventSubject, queue?: string) {
  const contract = eventContract(subject);
  return applyDecorators(
    EventPattern(subject, queue ? { queue } : undefined),
    SetMetadata(CONTRACT, { subject, input: contract.payload } satisfies ContractMeta),
    UseInterceptors(ContractInterceptor),
  );
}
