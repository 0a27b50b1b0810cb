import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { PasswordsService } from './passwords.service';

@Controller()
export class PasswordsController {
  constructor(private readonly passwords: PasswordsService) {}

  @RpcHandler(AuthSubjects.passwordSet)
  async set(@Payload() req: ParsedRequestOf<'auth.password.set'>): Promise<ReplyOf<'auth.password.set'>> {
    await this.passwords.set(req.userId, req.password);
    return { ok: true };
  }
}
