import { AuthSubjects } from '@gatehouse/contracts';
import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/**
 * Seed 002 external users: generated name, no password, single use, deleted after use or 15 minutes.
 * `auth` itself refuses a domain administrator's request for another domain; the gateway passes the actor on.
 */
@Controller()
export class ExternalUsersController {
  constructor(private readonly nats: NatsClient) {}

  @Route('POST /admin/external-users')
  create(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /admin/external-users'>) {
    return this.nats.send(AuthSubjects.externalUserCreate, {
      actor: adminActor(principal),
      domain: body.domain ?? principal.domain,
      ...(body.displayName ? { displayName: body.displayName } : {}),
    });
  }
}
