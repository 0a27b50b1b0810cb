import { Controller, Req } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { PasskeySubjects } from '@gatehouse/contracts';
import { AuditedRequest, auditIn } from '../admin-audit/audit-domain';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/**
 * An administrator sees and removes a user's passkeys (a lost phone, a clone alarm); auth decides, with
 * directory, whom they reach: a user of another domain answers not_found, as an unknown id.
 */
@Controller()
export class AdminPasskeysController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /admin/users/:id/passkeys')
  list(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id/passkeys'>) {
    return this.nats.send(PasskeySubjects.list, { actor: adminActor(principal), userId: params.id });
  }

  @Route('DELETE /admin/users/:id/passkeys/:passkeyId')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: Input<'DELETE /admin/users/:id/passkeys/:passkeyId'>,
    @Req() request: AuditedRequest,
  ) {
    const { id: userId, passkeyId } = params;
    const { removed, domain } = await this.nats.send(PasskeySubjects.remove, {
      actor: adminActor(principal),
      userId,
      passkeyId,
      by: 'admin',
      actorUserId: principal.userId,
    });
    auditIn(request, domain);
    if (!removed) throw new AppError('not_found', 'No such passkey');
    return { removed: true as const };
  }
}
