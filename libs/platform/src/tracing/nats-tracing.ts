// The NATS hop of a trace: a span where a message is sent (its context written into the message's
// headers, W3C `traceparent`, beside x-request-id) and a span where it is handled, child of the first.
// Every function here returns at once when tracing is off.
import { Context, Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { tracingEnabled } from './tracing';

/** What nats.js message headers offer (MsgHdrs). */
export interface HeaderSink {
  set(key: string, value: string): void;
}
export interface HeaderSource {
  get(key: string): string;
}

const TRACER = 'gatehouse-nats';

const setter = { set: (carrier: HeaderSink, key: string, value: string) => carrier.set(key, value) };
const getter = {
  get: (carrier: HeaderSource, key: string) => carrier.get(key) || undefined,
  keys: () => ['traceparent', 'tracestate', 'baggage'],
};

const attributes = (subject: string, operation: 'send' | 'process', requestId?: string) => ({
  'messaging.system': 'nats',
  'messaging.destination.name': subject,
  'messaging.operation.type': operation,
  ...(requestId ? { 'gatehouse.request_id': requestId } : {}),
});

/**
 * Runs `fn` (which sends the message) inside a `send <subject>` span; `reply` true for a request that
 * waits for its answer (kind CLIENT), false for an event (PRODUCER). Off: just `fn()`.
 */
export async function traceNatsSend<T>(subject: string, reply: boolean, requestId: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return fn();
  const span = trace.getTracer(TRACER).startSpan(`send ${subject}`, {
    kind: reply ? SpanKind.CLIENT : SpanKind.PRODUCER,
    attributes: attributes(subject, 'send', requestId),
  });
  try {
    return await context.with(trace.setSpan(context.active(), span), fn);
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Writes the active trace context into a message's headers (inside traceNatsSend's span). */
export function injectTraceContext(headers: HeaderSink): void {
  if (!tracingEnabled()) return;
  propagation.inject(context.active(), headers, setter);
}

export interface HandlerSpan {
  /** Runs the handler with the span active (its SQL statements and Redis calls become its children). */
  run<T>(fn: () => T): T;
  end(error?: unknown): void;
}

/**
 * The `process <subject>` span of a handled message, child of the sender's span named in its headers;
 * undefined when tracing is off.
 */
export function startHandlerSpan(
  headers: HeaderSource | undefined,
  subject: string,
  reply: boolean,
  requestId: string | undefined,
): HandlerSpan | undefined {
  if (!tracingEnabled()) return undefined;
  const parent: Context = headers ? propagation.extract(context.active(), headers, getter) : context.active();
  const span = trace
    .getTracer(TRACER)
    .startSpan(
      `process ${subject}`,
      { kind: reply ? SpanKind.SERVER : SpanKind.CONSUMER, attributes: attributes(subject, 'process', requestId) },
      parent,
    );
  const active = trace.setSpan(parent, span);
  let ended = false;
  return {
    run: (fn) => context.with(active, fn),
    end(error) {
      if (ended) return;
      ended = true;
      if (error !== undefined) fail(span, error);
      span.end();
    },
  };
}

function fail(span: Span, error: unknown): void {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  if (code) span.setAttribute('gatehouse.error_code', code);
  // an Error, or the error body a handler's exception filter made of it
  const message = error instanceof Error ? error.message : (error as { message?: unknown } | null)?.message;
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof message === 'string' ? message : code });
}
