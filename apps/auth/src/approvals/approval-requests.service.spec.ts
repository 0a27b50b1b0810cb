import { AppError } from '@gatehouse/errors';
import { ManualClock } from '@gatehouse/platform';
import { FakeAudit, FakeNats, FakeSettings, aUser, fakeLogger } from '../testing/fakes';
import { InMemoryPendingLogins } from '../testing/in-memory-pending-logins';
import type { ApprovalLimiter } from './approval-limiter';
import type { ApprovalMetrics } from './approval-metrics';
import { ApprovalRequestsService } from './approval-requests.service';

const request = { device: { name: 'Firefox', platform: 'Linux' }, application: 'refreshable' as const, ip: '198.51.100.7' };
const SESSION = {
  id: '00000000-0000-4000-8000-0000000000aa',
  device: { name: 'Laptop', platform: 'Linux' },
  application: 'refreshable' as const,
  subid: null,
  current: false,
  createdAt: '2026-12-01T11:00:00.000Z',
  lastUsedAt: '2026-12-01T11:00:00.000Z',
  expiresAt: '2026-12-02T11:00:00.000Z',
  ip: '203.0.113.9',
};

function setup(options: { sessions?: number } = {}) {
  const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
  const pending = new InMemoryPendingLogins();
  const nats = new FakeNats()
    .on('sessions.session.list', () => ({ sessions: Array.from({ length: options.sessions ?? 1 }, () => SESSION) }))
    .on('mailer.config.get', () => ({ config: null }))
    .on('mailer.mail.send', () => ({ queued: true }));
  const limiter = { take: jest.fn(async () => undefined) };
  const counted: string[] = [];
  const metrics = { count: (outcome: string) => void counted.push(outcome) } as unknown as ApprovalMetrics;
  const audit = new FakeAudit();
  const settings = new FakeSettings({ twoFactor: true });
  const sut = new ApprovalRequestsService(
    pending.repository,
    limiter as unknown as ApprovalLimiter,
    metrics,
    audit.service,
    nats.client,
    clock,
    fakeLogger(),
  );
  return { sut, pending, nats, limiter, counted, audit, settings };
}

describe('ApprovalRequestsService', () => {
  it('makes the new device wait with a six-digit code and tells the signed-in devices', async () => {
    const { sut, pending, nats, limiter, counted, audit, settings } = setup();
    const user = aUser();
    const answer = await sut.request(user, request, 'password', settings.current);
    expect(answer).toMatchObject({ status: 'pending', securityCode: expect.stringMatching(/^\d{6}$/), approvalChannels: ['session'] });
    expect(answer!.expiresAt).toBe('2026-12-01T12:10:00.000Z');
    expect(pending.rows.get(answer!.pendingId)).toMatchObject({ userId: user.id, status: 'pending', method: 'password', mode: 'compare' });
    expect(nats.emittedOn('auth.approval.requested')).toEqual([
      { userId: user.id, approval: expect.objectContaining({ pendingId: answer!.pendingId, securityCode: answer!.securityCode }) },
    ]);
    expect(limiter.take).toHaveBeenCalledWith(user.id);
    expect(counted).toEqual(['requested']);
    expect(audit.outcomes('approval')).toEqual(['requested']);
    expect(nats.sentTo('mailer.mail.send')).toEqual([]);
  });

  it('keeps the poll token only as a hash', async () => {
    const { sut, pending, settings } = setup();
    const answer = await sut.request(aUser(), request, 'password', settings.current);
    expect(pending.rows.get(answer!.pendingId)?.pollTokenHash).not.toBe(answer!.pollToken);
  });

  it('refuses a user with no way to approve, unless the policy lets such users in', async () => {
    const { sut, settings, pending } = setup({ sessions: 0 });
    await expect(sut.request(aUser(), request, 'password', settings.current)).rejects.toMatchObject({ code: 'approval_unavailable' });
    await expect(
      sut.request(aUser(), request, 'password', { ...settings.current, allowLoginWithoutApprovalPath: true }),
    ).resolves.toBeNull();
    expect(pending.rows.size).toBe(0);
  });

  it('makes no pending login once the account is over its request limit', async () => {
    const { sut, settings, limiter, pending } = setup();
    limiter.take.mockRejectedValueOnce(new AppError('rate_limited', 'Too many approval requests'));
    await expect(sut.request(aUser(), request, 'password', settings.current)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(pending.rows.size).toBe(0);
  });
});
