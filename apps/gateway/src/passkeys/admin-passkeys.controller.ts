import { Controller } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { PasskeySubjects } from '@gatehouse/contracts';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AdminScope } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/** An administrator sees and removes a user's passkeys (a lost phone, a clone alarm); within their domain scope. */
@Controller()
export class AdminPasskeysController {
  constructor(
    private readonly nats: NatsClient,
    private readonly scope: AdminScope,
  ) {}

  @Route('GET /admin/users/:id/passkeys')
  async list(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id/passkeys'>) {
    const userId = params.id;
    await this.scope.userDomain(principal, userId);
    return this.nats.send(PasskeySubjects.list, { userId });
  }

  @Route('DELETE /admin/users/:id/passkeys/:passkeyId')
  async remove(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'DELETE /admin/users/:id/passkeys/:passkeyId'>) {
    const { id: userId, passkeyId } = params;
    await this.scope.userDomain(principal, userId);
    const { removed } = await this.nats.send(PasskeySubjects.remove, { userId, passkeyId, by: 'admin', actorUserId: principal.userId });
    if (!removed) throw new AppError('not_found', 'No such passkey');
    return { removed: true as const };
  }
}
