import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import { PresenceSubjects } from '@gatehouse/contracts';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/** The user's own presence `{ status, note? }`; a change reaches every session and open app as `presence.changed`. */
@Controller()
export class MyPresenceController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /me/presence')
  get(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(PresenceSubjects.presenceGet, { userId: principal.userId }, { retries: 1 });
  }

  @Route('PUT /me/presence')
  set(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'PUT /me/presence'>) {
    return this.nats.send(PresenceSubjects.presenceSet, { userId: principal.userId, ...body });
  }
}
