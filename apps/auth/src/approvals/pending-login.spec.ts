import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { afterWrongCode, assertOpen, byPollToken, collectable, outcomeOf, statusOf } from './pending-login';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const open = { expiresAt: new Date(NOW + 60_000) };
const past = { expiresAt: new Date(NOW) };

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
};

describe('pending login state machine', () => {
  it('reads a stored state as what the device and the approvers are told', () => {
    expect(statusOf({ status: 'pending', ...open }, NOW)).toBe('pending');
    expect(statusOf({ status: 'approved', ...open }, NOW)).toBe('approved');
    expect(statusOf({ status: 'completed', ...open }, NOW)).toBe('approved');
    expect(statusOf({ status: 'rejected', ...open }, NOW)).toBe('rejected');
    expect(statusOf({ status: 'cancelled', ...open }, NOW)).toBe('cancelled');
  });

  it('expires a pending or approved login at expiresAt, but never a decided one', () => {
    expect(statusOf({ status: 'pending', ...past }, NOW)).toBe('expired');
    expect(statusOf({ status: 'approved', ...past }, NOW)).toBe('expired');
    expect(statusOf({ status: 'pending', ...past }, NOW - 1)).toBe('pending');
    expect(statusOf({ status: 'rejected', ...past }, NOW)).toBe('rejected');
    expect(statusOf({ status: 'cancelled', ...past }, NOW)).toBe('cancelled');
    expect(statusOf({ status: 'completed', ...past }, NOW)).toBe('approved');
  });

  it('takes a decision only while pending and unexpired', () => {
    expect(codeOf(() => assertOpen({ status: 'pending', ...open }, NOW))).toBeUndefined();
    expect(codeOf(() => assertOpen({ status: 'pending', ...past }, NOW))).toBe('approval_expired');
    for (const status of ['approved', 'completed', 'rejected', 'cancelled'])
      expect(codeOf(() => assertOpen({ status, ...open }, NOW))).toBe('approval_already_decided');
  });

  it('lets the waiting device collect an approved login once, before it expires', () => {
    expect(collectable({ status: 'approved', ...open }, NOW)).toBe(true);
    expect(collectable({ status: 'completed', ...open }, NOW)).toBe(false);
    expect(collectable({ status: 'approved', ...past }, NOW)).toBe(false);
    expect(collectable({ status: 'pending', ...open }, NOW)).toBe(false);
  });

  it('maps accept to approved and reject to rejected', () => {
    expect(outcomeOf('accept')).toBe('approved');
    expect(outcomeOf('reject')).toBe('rejected');
  });

  it('answers an unknown id and a wrong poll token alike', () => {
    const row = { pollTokenHash: sha256('right') };
    expect(byPollToken(row, 'right')).toBe(row);
    expect(codeOf(() => byPollToken(row, 'wrong'))).toBe('unauthenticated');
    expect(codeOf(() => byPollToken(null, 'right'))).toBe('unauthenticated');
  });

  it('rejects the login when the wrong codes reach the limit, and counts down before', () => {
    expect(afterWrongCode(1, 3)).toEqual({ reject: false, attemptsLeft: 2 });
    expect(afterWrongCode(2, 3)).toEqual({ reject: false, attemptsLeft: 1 });
    expect(afterWrongCode(3, 3)).toEqual({ reject: true });
  });
});
