import { Injectable } from '@nestjs/common';
import { ReplyOf, DirectorySubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { Clock, NatsClient } from '@gatehouse/platform';
import { SessionStarter } from '../sessions-client/session-starter';
import { byPollToken, collectable, statusOf, toLoginRequest } from './pending-login';
import { PendingLoginsRepository } from './pending-logins.repository';

/** The waiting device's side: it polls with its poll token and, once its login is approved, collects its session. */
@Injectable()
export class ApprovedLoginCollection {
  constructor(
    private readonly pending: PendingLoginsRepository,
    private readonly sessions: SessionStarter,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Not a plain read: the first poll after approval claims the login (approved -> completed) and
   * starts its session, which comes back this once; every other poll answers the status only.
   */
  async pollAndCollect(pendingId: string, pollToken: string): Promise<ReplyOf<'auth.pending.status'>> {
    const row = byPollToken(await this.pending.find(pendingId), pollToken);
    if (!collectable(row, this.clock.nowMs())) return { status: statusOf(row, this.clock.nowMs()) };
    if (!(await this.pending.claim(row.id, this.clock.now())))
      return { status: statusOf((await this.pending.find(row.id)) ?? row, this.clock.nowMs()) };
    try {
      const { user } = await this.nats.send(DirectorySubjects.userGet, { userId: row.userId });
      if (!user) throw new AppError('approval_not_found', 'The user no longer exists');
      const login = await this.sessions.start(user, toLoginRequest(row));
      return { status: 'approved', login };
    } catch (error) {
      // The session could not be made: give the device another chance to collect it.
      await this.pending.unclaim(row.id);
      throw error;
    }
  }

  /** The gateway checks a poll token before it lets the waiting device listen on its WebSocket. */
  async verifyPoll(pendingId: string, pollToken: string): Promise<{ userId: string }> {
    const row = byPollToken(await this.pending.find(pendingId), pollToken);
    return { userId: row.userId };
  }
}
