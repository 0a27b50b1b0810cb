import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OperatorSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { OperatorService } from './operator.service';

/** The operator command's subjects (tools/admin); see OperatorSubjects for who may publish them. */
@Controller()
export class OperatorController {
  constructor(private readonly operator: OperatorService) {}

  @RpcHandler(OperatorSubjects.createAdmin)
  createAdmin(@Payload() req: ParsedRequestOf<'auth.operator.create-admin'>): Promise<ReplyOf<'auth.operator.create-admin'>> {
    return this.operator.createAdmin(req);
  }

  @RpcHandler(OperatorSubjects.resetPassword)
  resetPassword(@Payload() req: ParsedRequestOf<'auth.operator.reset-password'>): Promise<ReplyOf<'auth.operator.reset-password'>> {
    return this.operator.resetPassword(req);
  }

  @RpcHandler(OperatorSubjects.twoFactorOff)
  twoFactorOff(@Payload() req: ParsedRequestOf<'auth.operator.two-factor-off'>): Promise<ReplyOf<'auth.operator.two-factor-off'>> {
    return this.operator.twoFactorOff(req);
  }

  @RpcHandler(OperatorSubjects.endSessions)
  endSessions(@Payload() req: ParsedRequestOf<'auth.operator.end-sessions'>): Promise<ReplyOf<'auth.operator.end-sessions'>> {
    return this.operator.endSessions(req);
  }

  @RpcHandler(OperatorSubjects.listAdmins)
  listAdmins(@Payload() req: ParsedRequestOf<'auth.operator.list-admins'>): Promise<ReplyOf<'auth.operator.list-admins'>> {
    return this.operator.listAdmins(req);
  }
}
