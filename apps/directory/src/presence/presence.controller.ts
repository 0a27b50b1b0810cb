import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ParsedRequestOf, PresenceSubjects, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { PresenceService } from './presence.service';

@Controller()
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @RpcHandler(PresenceSubjects.presenceGet)
  get(@Payload() req: ParsedRequestOf<'directory.presence.get'>): Promise<ReplyOf<'directory.presence.get'>> {
    return this.presence.get(req.userId);
  }

  @RpcHandler(PresenceSubjects.presenceSet)
  set(@Payload() req: ParsedRequestOf<'directory.presence.set'>): Promise<ReplyOf<'directory.presence.set'>> {
    return this.presence.set(req.userId, req.status, req.note);
  }
}
