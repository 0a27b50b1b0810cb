import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import { HomeScreenSubjects } from '@gatehouse/contracts';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/** `{ raw, groups }`; a change reaches every socket of the user as `homescreen.changed`. */
@Controller()
export class MyHomeScreenController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /me/homescreen')
  get(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(HomeScreenSubjects.homeScreenGet, { userId: principal.userId }, { retries: 1 });
  }

  @Route('PUT /me/homescreen')
  set(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'PUT /me/homescreen'>) {
    return this.nats.send(HomeScreenSubjects.homeScreenSet, { userId: principal.userId, ...body });
  }
}
