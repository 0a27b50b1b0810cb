import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthSubjects, EventOf, ParsedRequestOf, ReplyOf, SessionsSubjects } from '@gatehouse/contracts';
import { EventHandler, RpcHandler } from '@gatehouse/platform';
import { ExternalUsersService } from './external-users.service';

@Controller()
export class ExternalUsersController {
  constructor(
    private readonly externalUsers: ExternalUsersService,
  ) {}

  @RpcHandler(AuthSubjects.externalUserCreate)
  create(@Payload() req: ParsedRequestOf<'auth.external-user.create'>): Promise<ReplyOf<'auth.external-user.create'>> {
    return this.externalUsers.create(req.domain, req.displayName);
  }

  @EventHandler(SessionsSubjects.revoked, 'auth')
  async sessionEnded(@Payload() event: EventOf<'sessions.session.revoked'>): Promise<void> {
    if (event.external && event.reason !== 'user_deleted') await this.externalUsers.sessionEnded(event.userId);
  }

}
