import { randomUUID } from 'node:crypto';
import { ABANDONED_KEEP_MS, ABANDONED_MAX, AbandonedCalls, callGoneError, isCallGone } from './abandoned-calls';
import { acceptCall } from '../logging/request-context';

const callOf = (id: string, deadline?: number) => ({ id: () => id, ...(deadline !== undefined ? { deadline } : {}) });

describe('AbandonedCalls', () => {
  it('says a call is gone once abandoned, for ABANDONED_KEEP_MS, and tells its listeners', () => {
    const calls = new AbandonedCalls();
    const heard: string[] = [];
    const stop = calls.onAbandoned((id) => heard.push(id));
    const id = randomUUID();

    expect(calls.gone(callOf(id), 0)).toBeUndefined();
    calls.abandon(id, 0);
    expect(calls.gone(callOf(id), 1)).toBe('abandoned');
    expect(calls.gone(callOf(randomUUID()), 1)).toBeUndefined();
    expect(calls.gone(callOf(id), ABANDONED_KEEP_MS)).toBeUndefined();
    expect(heard).toEqual([id]);

    stop();
    calls.abandon(randomUUID(), 0);
    expect(heard).toEqual([id]);
  });

  it('says a call is gone when its deadline passed, and never for work outside a call', () => {
    const calls = new AbandonedCalls();
    expect(calls.gone(callOf(randomUUID(), 100), 99)).toBeUndefined();
    expect(calls.gone(callOf(randomUUID(), 100), 100)).toBe('deadline');
    expect(calls.gone(undefined)).toBeUndefined();
  });

  it('remembers at most ABANDONED_MAX calls, forgetting the oldest first', () => {
    const calls = new AbandonedCalls();
    const ids = Array.from({ length: ABANDONED_MAX + 1 }, () => randomUUID());
    ids.forEach((id) => calls.abandon(id, 0));

    expect(calls.gone(callOf(ids[0]), 1)).toBeUndefined();
    expect(calls.gone(callOf(ids[1]), 1)).toBe('abandoned');
    expect(calls.gone(callOf(ids[ABANDONED_MAX]), 1)).toBe('abandoned');
  });

  it('marks the error of dropped work so that callers can tell it from a failure', () => {
    expect(isCallGone(callGoneError('abandoned'))).toBe(true);
    expect(callGoneError('deadline')).toMatchObject({ code: 'service_unavailable', details: { reason: 'call_deadline' } });
    expect(isCallGone(new Error('call_abandoned'))).toBe(false);
  });
});

describe('acceptCall', () => {
  const id = randomUUID();

  it('reads the call id and the caller’s remaining wait from NATS headers', () => {
    const call = acceptCall(id, '1500', 1000);
    expect(call?.id()).toBe(id);
    expect(call?.deadline).toBe(2500);
  });

  it.each([
    ['no id', undefined, '1500'],
    ['no budget', id, undefined],
    ['an id that is not the gateway’s', 'alice-request-1', '1500'],
    ['an upper-case id', id.toUpperCase(), '1500'],
    ['a budget of zero', id, '0'],
    ['a negative budget', id, '-5'],
    ['a budget that is not a number', id, '1e3'],
    ['a budget over an hour', id, '3600001'],
  ])('ignores headers with %s', (_, callId, budget) => {
    expect(acceptCall(callId, budget, 0)).toBeUndefined();
  });
});
