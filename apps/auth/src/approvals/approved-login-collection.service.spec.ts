import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { ManualClock } from '@gatehouse/platform';
import type { SessionStarter } from '../sessions-client/session-starter';
import { FakeNats, aUser } from '../testing/fakes';
import { InMemoryPendingLogins } from '../testing/in-memory-pending-logins';
import { ApprovedLoginCollection } from './approved-login-collection.service';

async function setup() {
  const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
  const pending = new InMemoryPendingLogins();
  const user = aUser();
  const nats = new FakeNats().on('directory.user.get', () => ({ user }));
  const login = {
    status: 'active' as const,
    session: { id: user.id, password: 'pw' },
    accessToken: 't',
    expiresAt: '2026-12-02T12:00:00.000Z',
    user,
  };
  const sessions = { start: jest.fn(async () => login) };
  const sut = new ApprovedLoginCollection(pending.repository, sessions as unknown as SessionStarter, nats.client, clock);
  const row = await pending.create({
    userId: user.id,
    securityCode: '123456',
    pollTokenHash: sha256('poll-token'),
    mode: 'compare',
    method: 'password',
    device: { name: 'Firefox', platform: 'Linux' },
    application: 'longLogin',
    subid: 'phone-1',
    ip: '198.51.100.7',
    createdAt: clock.now(),
    expiresAt: new Date(clock.nowMs() + 600_000),
  });
  return { sut, clock, pending, sessions, row, login, user };
}

describe('ApprovedLoginCollection', () => {
  it('answers the status while the login waits, and starts no session', async () => {
    const { sut, row, sessions } = await setup();
    await expect(sut.pollAndCollect(row.id, 'poll-token')).resolves.toEqual({ status: 'pending' });
    expect(sessions.start).not.toHaveBeenCalled();
  });

  it('hands the session of an approved login to the first poll only', async () => {
    const { sut, row, pending, sessions, login, user } = await setup();
    await pending.decide(row.id, 'approved', new Date(Date.parse('2026-12-01T12:00:00Z')));
    await expect(sut.pollAndCollect(row.id, 'poll-token')).resolves.toEqual({ status: 'approved', login });
    await expect(sut.pollAndCollect(row.id, 'poll-token')).resolves.toEqual({ status: 'approved' });
    expect(sessions.start).toHaveBeenCalledTimes(1);
    expect(sessions.start).toHaveBeenCalledWith(user, {
      device: { name: 'Firefox', platform: 'Linux' },
      application: 'longLogin',
      subid: 'phone-1',
      ip: '198.51.100.7',
    });
  });

  it('gives the device another chance when its session could not be made', async () => {
    const { sut, row, pending, sessions, login } = await setup();
    await pending.decide(row.id, 'approved', new Date(Date.parse('2026-12-01T12:00:00Z')));
    sessions.start.mockRejectedValueOnce(new AppError('service_unavailable', 'sessions is away'));
    await expect(sut.pollAndCollect(row.id, 'poll-token')).rejects.toMatchObject({ code: 'service_unavailable' });
    await expect(sut.pollAndCollect(row.id, 'poll-token')).resolves.toEqual({ status: 'approved', login });
  });

  it('collects nothing once the login has expired', async () => {
    const { sut, row, pending, clock, sessions } = await setup();
    await pending.decide(row.id, 'approved', clock.now());
    clock.advance(600_000);
    await expect(sut.pollAndCollect(row.id, 'poll-token')).resolves.toEqual({ status: 'expired' });
    expect(sessions.start).not.toHaveBeenCalled();
  });

  it('refuses a wrong poll token as it refuses an unknown login', async () => {
    const { sut, row } = await setup();
    await expect(sut.pollAndCollect(row.id, 'wrong')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(sut.verifyPoll('00000000-0000-4000-8000-00000000ffff', 'poll-token')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(sut.verifyPoll(row.id, 'poll-token')).resolves.toEqual({ userId: row.userId });
  });
});
