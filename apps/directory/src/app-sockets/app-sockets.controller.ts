import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ParsedRequestOf, PresenceSubjects, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AppSocketsService } from './app-sockets.service';

@Controller()
export class AppSocketsController {
  constructor(private readonly sockets: AppSocketsService) {}

  @RpcHandler(PresenceSubjects.appSocketVerify)
  verify(@Payload() req: ParsedRequestOf<'directory.app-socket.verify'>): Promise<ReplyOf<'directory.app-socket.verify'>> {
    return this.sockets.verify(req.domain, req.appId, req.timestamp, req.proof);
  }

  @RpcHandler(PresenceSubjects.socketAppsList)
  forUser(@Payload() req: ParsedRequestOf<'directory.socket-apps.list'>): Promise<ReplyOf<'directory.socket-apps.list'>> {
    return this.sockets.forUser(req.userId);
  }
}
