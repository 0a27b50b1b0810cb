import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OwnAccountSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AutodeleteRepository } from './autodelete.repository';
import { OwnAccountService } from './own-account.service';

@Controller()
export class OwnAccountController {
  constructor(
    private readonly account: OwnAccountService,
    private readonly autodelete: AutodeleteRepository,
  ) {}

  @RpcHandler(OwnAccountSubjects.passwordChange)
  async changePassword(
    @Payload() req: ParsedRequestOf<'auth.own-account.password-change'>,
  ): Promise<ReplyOf<'auth.own-account.password-change'>> {
    await this.account.changePassword(req);
    return { changed: true };
  }

  @RpcHandler(OwnAccountSubjects.autodeleteGet)
  async getAutodelete(
    @Payload() req: ParsedRequestOf<'auth.own-account.autodelete-get'>,
  ): Promise<ReplyOf<'auth.own-account.autodelete-get'>> {
    return { autodelete: await this.autodelete.get(req.userId) };
  }

  @RpcHandler(OwnAccountSubjects.autodeleteSet)
  async setAutodelete(
    @Payload() req: ParsedRequestOf<'auth.own-account.autodelete-set'>,
  ): Promise<ReplyOf<'auth.own-account.autodelete-set'>> {
    return { autodelete: await this.autodelete.set(req.userId, req.autodelete) };
  }
}
