import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * A call (contracts' common/calls.ts): one HTTP request at the gateway and every NATS request made for it.
 * Its id is the gateway's, never the client's; `deadline` (performance.now()) is when the caller stops
 * waiting, as far as this process knows.
 */
export interface Call {
  /** The call's id; at the gateway it is made when the request first asks a service something. */
  id(): string;
  readonly deadline?: number;
}

export interface RequestContext {
  requestId: string;
  call?: Call;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';
/** NATS headers of a call: its id, and the milliseconds the caller still waits for this request's reply. */
export const CALL_ID_HEADER = 'gatehouse-call-id';
export const CALL_BUDGET_HEADER = 'gatehouse-call-budget-ms';
/** The longest wait a call header may announce (a request's timeout is seconds). */
const MAX_BUDGET_MS = 3_600_000;

/** Request ids come from clients; keep only short, printable ones. */
export const acceptRequestId = (value: unknown): string =>
  typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();

const CALL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The call named by a request's NATS headers, its deadline counted from `receivedAt`; none when either header is missing or malformed. */
export function acceptCall(id: string | undefined, budgetMs: string | undefined, receivedAt: number): Call | undefined {
  if (!id || !CALL_ID.test(id) || !budgetMs || !/^\d{1,7}$/.test(budgetMs)) return undefined;
  const budget = Number(budgetMs);
  if (budget < 1 || budget > MAX_BUDGET_MS) return undefined;
  return { id: () => id, deadline: receivedAt + budget };
}

export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

export const currentCall = (): Call | undefined => storage.getStore()?.call;

export const runWithRequestId = <T>(requestId: string, fn: () => T, call?: Call): T => storage.run({ requestId, call }, fn);

/** `fn` in the same request id but outside its call: work that must finish even when the caller leaves (a login's hash migration). */
export const outsideCall = <T>(fn: () => T): T => {
  const store = storage.getStore();
  return store?.call ? storage.run({ requestId: store.requestId }, fn) : fn();
};
