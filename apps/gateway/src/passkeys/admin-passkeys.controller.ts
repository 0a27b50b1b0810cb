import { Controller, Delete, Get, Param, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PasskeyIdParam } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AdminScope } from '../directory/admin-scope';
import { ZodPipe } from '../http/zod.pipe';

const UserIdParam = new ZodPipe(z.uuid());

/** An administrator sees and removes a user's passkeys (a lost phone, a clone alarm); within their domain scope. */
@ApiTags('admin')
@Controller('admin/users')
@UseGuards(AccessGuard, AdminGuard)
export class AdminPasskeysController {
  constructor(
    private readonly nats: NatsClient,
    private readonly scope: AdminScope,
  ) {}

  @Get(':id/passkeys')
  async list(@CurrentPrincipal() principal: Principal, @Param('id', UserIdParam) userId: string) {
    await this.scope.userDomain(principal, userId);
    return this.nats.send('auth.passkey.list', { userId });
  }

  @Delete(':id/passkeys/:passkeyId')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UserIdParam) userId: string,
    @Param('passkeyId', new ZodPipe(PasskeyIdParam)) passkeyId: string,
  ) {
    await this.scope.userDomain(principal, userId);
    const { removed } = await this.nats.send('auth.passkey.remove', { userId, passkeyId, by: 'admin', actorUserId: principal.userId });
    if (!removed) throw new AppError('not_found', 'No such passkey');
    return { removed: true };
  }
}
