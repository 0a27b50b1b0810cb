import { Body, Controller, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ExternalUserBody } from '@gatehouse/contracts';
import { CONFIG, NatsClient } from '@gatehouse/platform';
import type { z } from 'zod';
import type { GatewayConfig } from '../config';
import { ZodPipe } from '../http/zod.pipe';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { ApiZodBody } from '../http/api-zod-body';

/**
 * Seed 002 external users: generated name, no password, single use, deleted after use or 15 minutes.
 * `auth` itself refuses a domain administrator's request for another domain; the gateway passes the actor on.
 */
@ApiTags('admin')
@Controller('admin/external-users')
@UseGuards(AccessGuard, AdminGuard)
export class ExternalUsersController {
  constructor(
    private readonly nats: NatsClient,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Post()
  @ApiZodBody(ExternalUserBody)
  create(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(ExternalUserBody)) body: z.infer<typeof ExternalUserBody>) {
    const domain = body.domain ?? principal.domain ?? this.config.GATEHOUSE_DOMAIN;
    return this.nats.send('auth.external-user.create', {
      actor: adminActor(principal),
      domain,
      ...(body.displayName ? { displayName: body.displayName } : {}),
    });
  }
}
