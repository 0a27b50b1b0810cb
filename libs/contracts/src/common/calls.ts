import { z } from 'zod';
import { event } from '../contract';
import { Uuid } from './schemas';

/**
 * A call: one HTTP request at the gateway and every NATS request made for it, named by an id the gateway
 * makes (never the client's request id, which anyone can choose) and carried in NATS headers with what is
 * left of the caller's wait (libs/platform, request-context.ts). Work queued for a call nobody waits for any
 * more is dropped before it starts (auth's OPAQUE stretching: a second of CPU per login).
 */
export const CallSubjects = {
  /** The client went away before its answer: heard by every replica that queues expensive work. */
  abandoned: 'gateway.call.abandoned',
} as const;

export const CallAbandonedEvent = z.object({ callId: Uuid }).strict();
export type CallAbandonedEvent = z.infer<typeof CallAbandonedEvent>;

export const callsContract = {
  [CallSubjects.abandoned]: event(CallAbandonedEvent),
};
