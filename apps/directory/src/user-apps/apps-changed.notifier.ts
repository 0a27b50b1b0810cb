import { Injectable } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import { AppsSubjects } from '@gatehouse/contracts';

/** Users per event, so one message stays far below NATS's payload limit. */
const CHUNK = 1000;

/** Tells every gateway that these users' apps changed; each pushes `apps.changed` to the sockets it holds. */
@Injectable()
export class AppsChangedNotifier {
  constructor(private readonly nats: NatsClient) {}

  async notify(userIds: Iterable<string>): Promise<void> {
    const all = [...new Set(userIds)];
    for (let start = 0; start < all.length; start += CHUNK) {
      await this.nats.emit(AppsSubjects.appsChanged, { userIds: all.slice(start, start + CHUNK) });
    }
  }
}
