import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ParsedRequestOf, PasswordResetSubjects, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { PasswordResetService } from './password-reset.service';

@Controller()
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @RpcHandler(PasswordResetSubjects.request)
  request(@Payload() req: ParsedRequestOf<'auth.password-reset.request'>): Promise<ReplyOf<'auth.password-reset.request'>> {
    return this.resets.request(req.login, req.ip);
  }

  @RpcHandler(PasswordResetSubjects.complete)
  complete(@Payload() req: ParsedRequestOf<'auth.password-reset.complete'>): Promise<ReplyOf<'auth.password-reset.complete'>> {
    return this.resets.complete(req.token, req.newPassword, req.endOtherSessions, req.ip);
  }
}
