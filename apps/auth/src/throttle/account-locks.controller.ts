import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AccountLockSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AccountLocks } from './account-locks';

/** `auth.account-lock.*`: the admin console's view of a user's login waits and lifting them (gateway: /admin/users/:id/lock). */
@Controller()
export class AccountLocksController {
  constructor(private readonly locks: AccountLocks) {}

  @RpcHandler(AccountLockSubjects.accountLockGet)
  status(@Payload() req: ParsedRequestOf<'auth.account-lock.get'>): Promise<ReplyOf<'auth.account-lock.get'>> {
    return this.locks.status(req.userId);
  }

  @RpcHandler(AccountLockSubjects.accountLockLift)
  lift(@Payload() req: ParsedRequestOf<'auth.account-lock.lift'>): Promise<ReplyOf<'auth.account-lock.lift'>> {
    return this.locks.lift(req.userId);
  }
}
