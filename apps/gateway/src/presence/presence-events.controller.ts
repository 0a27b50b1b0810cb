import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventOf, PresenceSubjects } from '@gatehouse/contracts';
import { EventHandler } from '@gatehouse/platform';
import { AppSockets } from '../app-runtime/app-sockets';
import { SocketHub } from '../ws/socket-hub.service';

/** Every gateway hears presence changes (no queue group) and tells the user's sockets and their apps' sockets it holds. */
@Controller()
export class PresenceEventsController {
  constructor(
    private readonly hub: SocketHub,
    private readonly appSockets: AppSockets,
  ) {}

  @EventHandler(PresenceSubjects.presenceChanged)
  async changed(@Payload() event: EventOf<'directory.presence.changed'>): Promise<void> {
    this.hub.pushToUser(event.userId, { type: 'presence.changed', presence: event.presence });
    await this.appSockets.tell(event.userId, { type: 'presence.changed', presence: event.presence });
  }
}
