import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AccountsSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @RpcHandler(AccountsSubjects.create)
  async create(@Payload() req: ParsedRequestOf<'auth.account.create'>): Promise<ReplyOf<'auth.account.create'>> {
    return { user: await this.accounts.create(req) };
  }

  @RpcHandler(AccountsSubjects.update)
  async update(@Payload() req: ParsedRequestOf<'auth.account.update'>): Promise<ReplyOf<'auth.account.update'>> {
    return { user: await this.accounts.update(req) };
  }
}
