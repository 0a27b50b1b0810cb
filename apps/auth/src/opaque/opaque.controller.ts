import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OpaqueSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { OpaqueLoginService } from './opaque-login.service';

@Controller()
export class OpaqueController {
  constructor(private readonly login: OpaqueLoginService) {}

  @RpcHandler(OpaqueSubjects.loginStart)
  start(@Payload() req: ParsedRequestOf<'auth.opaque.login-start'>): Promise<ReplyOf<'auth.opaque.login-start'>> {
    return this.login.start(req);
  }

  @RpcHandler(OpaqueSubjects.loginFinish)
  finish(@Payload() req: ParsedRequestOf<'auth.opaque.login-finish'>): Promise<ReplyOf<'auth.opaque.login-finish'>> {
    return this.login.finish(req);
  }
}
