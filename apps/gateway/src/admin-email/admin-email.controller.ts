import { MailerSubjects } from '@gatehouse/contracts';
import { Controller } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/**
 * SMTP account administration; the password is never sent back, only `passwordSet`. The mailer
 * refuses domain administrators itself (installation-wide settings); the gateway passes the actor on.
 */
@Controller()
export class AdminEmailController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /admin/config/email')
  get(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(MailerSubjects.configGet, { actor: adminActor(principal) });
  }

  @Route('PUT /admin/config/email')
  set(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'PUT /admin/config/email'>) {
    return this.nats.send(MailerSubjects.configSet, { actor: adminActor(principal), config: body });
  }

  @Route('POST /admin/config/email/test')
  test(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /admin/config/email/test'>) {
    return this.nats.send(MailerSubjects.testSend, { actor: adminActor(principal), ...body });
  }
}
