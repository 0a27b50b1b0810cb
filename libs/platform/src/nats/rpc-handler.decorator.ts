import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { EventSubject, RequestSubject, Strip, compileStrip, eventContract, requestContract } from '@gatehouse/contracts';
import type { z } from 'zod';

/** Where a handler's contract rides in its pattern's extras, for GatehouseNatsServer. */
export const CONTRACT = Symbol('rpc contract');

export interface ContractMeta {
  subject: string;
  input: z.ZodType;
  /** A request handler's reply contract; undefined for an event handler. */
  output?: z.ZodType;
  /** The reply's strip (libs/contracts/src/strip.ts); undefined when only a full parse gives what leaves. */
  strip?: Strip;
}

/** The contract of a registered handler (its pattern's extras), if it was declared with @RpcHandler or @EventHandler. */
export const contractOf = (extras: Record<string, unknown> | undefined): ContractMeta | undefined =>
  extras?.[CONTRACT as unknown as string] as ContractMeta | undefined;

const extras = (meta: ContractMeta, queue?: string) => ({ ...(queue ? { queue } : {}), [CONTRACT]: meta });

/**
 * A NATS request handler for a contract subject, shared by the service's replicas. GatehouseNatsServer
 * validates the payload against the contract, runs the handler inside the caller's request id (and trace),
 * and sends only the reply's contract fields.
 */
export function RpcHandler(subject: RequestSubject, queue?: string) {
  const contract = requestContract(subject);
  return MessagePattern(subject, extras({ subject, input: contract.req, output: contract.res, strip: compileStrip(contract.res) }, queue));
}

/**
 * A NATS event handler. `queue` set: one replica of the group handles each event;
 * unset: every instance does (the gateway, which pushes to its own sockets).
 */
export function EventHandler(subject: EventSubject, queue?: string) {
  return EventPattern(subject, extras({ subject, input: eventContract(subject).payload }, queue));
}
