import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { ManualClock } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { FakeAudit, FakeNats, FakeSettings, aUser } from '../testing/fakes';
import { InMemoryPendingLogins } from '../testing/in-memory-pending-logins';
import { ApprovalDecisionsService } from './approval-decisions.service';
import type { ApprovalMetrics } from './approval-metrics';

const MAX_WRONG_CODES = 3;
const device = { name: 'Firefox', platform: 'Linux' };

async function setup(mode: 'compare' | 'transfer' = 'compare') {
  const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
  const pending = new InMemoryPendingLogins();
  const nats = new FakeNats();
  const audit = new FakeAudit();
  const settings = new FakeSettings({ twoFactor: true });
  const counted: string[] = [];
  const metrics = { count: (outcome: string) => void counted.push(outcome) } as unknown as ApprovalMetrics;
  const config = { APPROVAL_MAX_WRONG_CODES: MAX_WRONG_CODES } as AuthConfig;
  const sut = new ApprovalDecisionsService(pending.repository, settings.service, metrics, audit.service, nats.client, clock, config);
  const user = aUser();
  const row = await pending.create({
    userId: user.id,
    securityCode: '123456',
    pollTokenHash: sha256('poll-token'),
    emailTokenHash: sha256('email-token-0123456789'),
    mode,
    method: 'password',
    device,
    application: 'refreshable',
    ip: '198.51.100.7',
    createdAt: clock.now(),
    expiresAt: new Date(clock.nowMs() + 600_000),
  });
  const fromSession = (change: { decision?: 'accept' | 'reject'; code?: string; passkeyId?: string } = {}) =>
    sut.fromSession({
      userId: user.id,
      sessionId: '00000000-0000-4000-8000-0000000000aa',
      pendingId: row.id,
      decision: 'accept',
      ip: '203.0.113.9',
      ...change,
    });
  return { sut, clock, pending, nats, audit, settings, counted, user, row, fromSession };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

describe('ApprovalDecisionsService', () => {
  it('approves from a signed-in device of the same user, and audits, counts and announces it', async () => {
    const { fromSession, pending, row, audit, nats, counted, user } = await setup();
    await expect(fromSession()).resolves.toEqual({ status: 'approved' });
    expect(pending.rows.get(row.id)?.status).toBe('approved');
    expect(audit.outcomes('approval')).toEqual(['approved']);
    expect(audit.events[0].details).toMatchObject({ pendingId: row.id, via: 'session' });
    expect(counted).toEqual(['approved']);
    expect(nats.emittedOn('auth.approval.decided')).toEqual([{ userId: user.id, pendingId: row.id, status: 'approved' }]);
  });

  it('lets only the first of two deciders win', async () => {
    const { fromSession, nats } = await setup();
    await fromSession({ decision: 'reject' });
    expect(await codeOf(fromSession())).toBe('approval_already_decided');
    expect(nats.emittedOn('auth.approval.decided')).toHaveLength(1);
  });

  it('refuses a decision once the login has expired', async () => {
    const { fromSession, clock, pending, row } = await setup();
    clock.advance(600_000);
    expect(await codeOf(fromSession())).toBe('approval_expired');
    expect(pending.rows.get(row.id)?.status).toBe('pending');
  });

  it('does not decide a login of another user', async () => {
    const { sut, row } = await setup();
    const other = aUser();
    const decided = sut.fromSession({ userId: other.id, sessionId: other.id, pendingId: row.id, decision: 'accept', ip: '203.0.113.9' });
    expect(await codeOf(decided)).toBe('approval_not_found');
  });

  it('in transfer mode counts wrong codes, says how many are left, and rejects after the last', async () => {
    const { fromSession, pending, row, audit } = await setup('transfer');
    const first = await fromSession({ code: '000000' }).catch((error: AppError) => error);
    expect(first).toMatchObject({ code: 'invalid_security_code', details: { attemptsLeft: 2 } });
    expect(await codeOf(fromSession({ code: '000001' }))).toBe('invalid_security_code');
    expect(await codeOf(fromSession({ code: '000002' }))).toBe('approval_expired');
    expect(pending.rows.get(row.id)?.status).toBe('rejected');
    expect(audit.outcomes('approval')).toEqual(['wrong_code', 'wrong_code', 'wrong_code', 'rejected']);
  });

  it('in transfer mode accepts the typed code, spaces around it allowed', async () => {
    const { fromSession } = await setup('transfer');
    await expect(fromSession({ code: ' 123456 ' })).resolves.toEqual({ status: 'approved' });
  });

  it('asks for a passkey to accept when the policy says so, but not to reject', async () => {
    const { fromSession, settings } = await setup();
    settings.current = { ...settings.current, approvalRequiresPasskey: true };
    expect(await codeOf(fromSession())).toBe('passkey_required');
    await expect(fromSession({ passkeyId: '00000000-0000-4000-8000-0000000000bb' })).resolves.toEqual({ status: 'approved' });
  });

  it('decides once through the emailed link; a second use is refused', async () => {
    const { sut, audit } = await setup();
    await expect(sut.fromEmail('email-token-0123456789', 'accept', '203.0.113.9')).resolves.toEqual({ status: 'approved' });
    expect(await codeOf(sut.fromEmail('email-token-0123456789', 'reject', '203.0.113.9'))).toBe('link_used');
    expect(await codeOf(sut.fromEmail('another-token-0123456789', 'accept', '203.0.113.9'))).toBe('approval_not_found');
    expect(audit.events.map((e) => e.details?.via)).toEqual(['email']);
  });

  it('shows the link page without deciding', async () => {
    const { sut, pending, row } = await setup();
    await expect(sut.emailView('email-token-0123456789')).resolves.toMatchObject({
      status: 'pending',
      used: false,
      approval: { pendingId: row.id, securityCode: '123456', mode: 'compare' },
    });
    expect(pending.rows.get(row.id)?.status).toBe('pending');
  });

  it('lets the waiting device withdraw its login with its poll token only', async () => {
    const { sut, row, nats } = await setup();
    expect(await codeOf(sut.cancel(row.id, 'wrong-token', '198.51.100.7'))).toBe('unauthenticated');
    await expect(sut.cancel(row.id, 'poll-token', '198.51.100.7')).resolves.toEqual({ status: 'cancelled' });
    await expect(sut.cancel(row.id, 'poll-token', '198.51.100.7')).resolves.toEqual({ status: 'cancelled' });
    expect(nats.emittedOn('auth.approval.decided')).toHaveLength(1);
  });
});
