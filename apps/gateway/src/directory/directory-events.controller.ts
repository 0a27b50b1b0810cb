import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AppsSubjects, EventOf, HomeScreenSubjects } from '@gatehouse/contracts';
import { EventHandler } from '@gatehouse/platform';
import { SocketHub } from '../ws/socket-hub.service';

/** Every gateway hears registry events (no queue group) and pushes them to the user's sockets it holds. */
@Controller()
export class DirectoryEventsController {
  constructor(private readonly hub: SocketHub) {}

  @EventHandler(HomeScreenSubjects.homeScreenChanged)
  homeScreenChanged(@Payload() event: EventOf<'directory.homescreen.changed'>): void {
    this.hub.pushToUser(event.userId, { type: 'homescreen.changed', raw: event.raw, groups: event.groups });
  }

  /** A notice only: the client asks GET /me/apps (and GET /me/homescreen, whose shown items follow the apps). */
  @EventHandler(AppsSubjects.appsChanged)
  appsChanged(@Payload() event: EventOf<'directory.apps.changed'>): void {
    for (const userId of event.userIds) this.hub.pushToUser(userId, { type: 'apps.changed' });
  }
}
