import { Controller, Req } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { AccountLockSubjects, AuthSubjects } from '@gatehouse/contracts';
import { AuditedRequest, auditIn } from '../admin-audit/audit-domain';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/**
 * What an administrator does about a user's access besides the profile (the console's Users page):
 * their login waits and lifting them, and their API keys (seen and revoked, never made: keys are made
 * by the user from a session). Declared in `libs/contracts/src/api/admin-console.routes.ts`. auth
 * decides, with directory, whom the administrator reaches: a user of another domain answers not_found,
 * as an unknown id.
 */
@Controller()
export class AdminUserAccessController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /admin/users/:id/lock')
  lock(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id/lock'>) {
    return this.nats.send(AccountLockSubjects.accountLockGet, { actor: adminActor(principal), userId: params.id }, { retries: 1 });
  }

  @Route('DELETE /admin/users/:id/lock')
  async liftLock(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: Input<'DELETE /admin/users/:id/lock'>,
    @Req() request: AuditedRequest,
  ) {
    const { domain, ...lifted } = await this.nats.send(AccountLockSubjects.accountLockLift, {
      actor: adminActor(principal),
      userId: params.id,
    });
    auditIn(request, domain);
    return lifted;
  }

  @Route('GET /admin/users/:id/api-keys')
  apiKeys(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id/api-keys'>) {
    return this.nats.send(AuthSubjects.apiKeyList, { actor: adminActor(principal), userId: params.id }, { retries: 1 });
  }

  @Route('DELETE /admin/users/:id/api-keys/:keyId')
  async revokeApiKey(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: Input<'DELETE /admin/users/:id/api-keys/:keyId'>,
    @Req() request: AuditedRequest,
  ) {
    const { revoked, domain } = await this.nats.send(AuthSubjects.apiKeyRevoke, {
      actor: adminActor(principal),
      userId: params.id,
      apiKeyId: params.keyId,
    });
    auditIn(request, domain);
    if (!revoked) throw new AppError('not_found', 'No such API key');
    return { revoked: true as const };
  }
}
