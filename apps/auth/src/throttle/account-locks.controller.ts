import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AccountLockSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { NatsClient, RpcHandler } from '@gatehouse/platform';
import { reachUser } from '../accounts/user-reach';
import { AccountLocks } from './account-locks';

/**
 * `auth.account-lock.*`: the admin console's view of a user's login waits and lifting them (gateway:
 * /admin/users/:id/lock). With an administrator's `actor`, only of a user they reach (directory decides).
 */
@Controller()
export class AccountLocksController {
  constructor(
    private readonly locks: AccountLocks,
    private readonly nats: NatsClient,
  ) {}

  @RpcHandler(AccountLockSubjects.accountLockGet)
  async status(@Payload() req: ParsedRequestOf<'auth.account-lock.get'>): Promise<ReplyOf<'auth.account-lock.get'>> {
    await reachUser(this.nats, req.actor, req.userId);
    return this.locks.status(req.userId);
  }

  @RpcHandler(AccountLockSubjects.accountLockLift)
  async lift(@Payload() req: ParsedRequestOf<'auth.account-lock.lift'>): Promise<ReplyOf<'auth.account-lock.lift'>> {
    const domain = await reachUser(this.nats, req.actor, req.userId);
    return { ...(await this.locks.lift(req.userId)), ...(domain ? { domain } : {}) };
  }
}
