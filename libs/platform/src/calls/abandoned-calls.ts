import { Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { type Call } from '../logging/request-context';

/** How long an abandoned call is remembered: its work may still be on its way here (longer than any request's wait). */
export const ABANDONED_KEEP_MS = 60_000;
/** The most remembered at once (the oldest go first): a flood of abandoned calls cannot grow the memory. */
export const ABANDONED_MAX = 10_000;

/** The error a piece of work dropped for its call ends with: the caller is gone, or no longer waits. */
export const callGoneError = (why: 'abandoned' | 'deadline'): AppError =>
  new AppError('service_unavailable', why === 'abandoned' ? 'The client went away: not done' : 'The caller stopped waiting: not done', {
    reason: `call_${why}`,
  });

/** Whether `error` is callGoneError's: nothing was checked, so no attempt was spent. */
export const isCallGone = (error: unknown): boolean =>
  error instanceof AppError && typeof error.details?.reason === 'string' && error.details.reason.startsWith('call_');

/**
 * Calls the gateway said their clients left (contracts' CallSubjects.abandoned), for the expensive work of
 * this process to skip: a queue asks `gone(call)` before it starts a piece (the deadline passed, or the
 * client left) and hears `onAbandoned` to drop what waits. The ids are the gateway's random ones, so a
 * client can only give up its own calls.
 */
@Injectable()
export class AbandonedCalls {
  /** call id → when it may be forgotten (performance.now()); insertion order is age order */
  private readonly calls = new Map<string, number>();
  private readonly listeners = new Set<(callId: string) => void>();

  abandon(callId: string, now = performance.now()): void {
    this.forgetOld(now);
    if (this.calls.size >= ABANDONED_MAX) this.calls.delete(this.calls.keys().next().value!);
    this.calls.delete(callId);
    this.calls.set(callId, now + ABANDONED_KEEP_MS);
    for (const listener of this.listeners) listener(callId);
  }

  /** Why `call`'s work should not start: its client left or its deadline passed; undefined: go on. */
  gone(call: Call | undefined, now = performance.now()): 'abandoned' | 'deadline' | undefined {
    if (!call) return undefined;
    if (call.deadline !== undefined && now >= call.deadline) return 'deadline';
    const until = this.calls.get(call.id());
    return until !== undefined && until > now ? 'abandoned' : undefined;
  }

  /** `listener` hears every abandoned call id; the returned function stops it. */
  onAbandoned(listener: (callId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private forgetOld(now: number): void {
    for (const [id, until] of this.calls) {
      if (until > now) break;
      this.calls.delete(id);
    }
  }
}
