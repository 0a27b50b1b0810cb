import { Controller } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { AccountLockSubjects, AuthSubjects, DirectorySubjects } from '@gatehouse/contracts';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/**
 * What an administrator does about a user's access besides the profile (the console's Users page):
 * their login waits and lifting them, and their API keys (seen and revoked, never made: keys are made
 * by the user from a session). Declared in `libs/contracts/src/api/admin-console.routes.ts`.
 */
@Controller()
export class AdminUserAccessController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /admin/users/:id/lock')
  async lock(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id/lock'>) {
    await this.reach(principal, params.id);
    return this.nats.send(AccountLockSubjects.accountLockGet, { userId: params.id }, { retries: 1 });
  }

  @Route('DELETE /admin/users/:id/lock')
  async liftLock(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'DELETE /admin/users/:id/lock'>) {
    await this.reach(principal, params.id);
    return this.nats.send(AccountLockSubjects.accountLockLift, { userId: params.id });
  }

  @Route('GET /admin/users/:id/api-keys')
  async apiKeys(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id/api-keys'>) {
    await this.reach(principal, params.id);
    return this.nats.send(AuthSubjects.apiKeyList, { userId: params.id }, { retries: 1 });
  }

  @Route('DELETE /admin/users/:id/api-keys/:keyId')
  async revokeApiKey(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'DELETE /admin/users/:id/api-keys/:keyId'>) {
    await this.reach(principal, params.id);
    const { revoked } = await this.nats.send(AuthSubjects.apiKeyRevoke, { userId: params.id, apiKeyId: params.keyId });
    if (!revoked) throw new AppError('not_found', 'No such API key');
    return { revoked: true as const };
  }

  /** directory decides whom the administrator reaches: a user of another domain answers not_found, as an unknown id. */
  private async reach(principal: Principal, userId: string): Promise<void> {
    await this.nats.send(DirectorySubjects.userDetailsGet, { actor: adminActor(principal), userId }, { retries: 1 });
  }
}
