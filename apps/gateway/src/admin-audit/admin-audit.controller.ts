import { Body, Controller, Get, Put, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditQuery, AuditSettings } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { ApiZodBody, ApiZodQuery } from '../http/api-zod-body';
import { ZodPipe } from '../http/zod.pipe';
import type { z } from 'zod';

// Types through z.infer: a parameter typed by the schema's own name would hand swagger the zod object as a class.
type Query = z.infer<typeof AuditQuery>;
type Settings = z.infer<typeof AuditSettings>;

/** `/admin/audit`: the audit log, newest first; auth scopes it to the admin's domain unless they administer the installation. */
@ApiTags('admin')
@Controller('admin/audit')
@UseGuards(AccessGuard, AdminGuard)
export class AdminAuditController {
  constructor(private readonly nats: NatsClient) {}

  @Get()
  @ApiZodQuery(AuditQuery)
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(AuditQuery)) query: Query) {
    return this.nats.send('auth.audit.list', { actor: adminActor(principal), query }, { retries: 1 });
  }

  @Get('settings')
  async settings(@CurrentPrincipal() principal: Principal) {
    return (await this.nats.send('auth.audit-settings.get', { actor: adminActor(principal) }, { retries: 1 })).settings;
  }

  @Put('settings')
  @ApiZodBody(AuditSettings)
  async saveSettings(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(AuditSettings)) settings: Settings) {
    return (await this.nats.send('auth.audit-settings.set', { actor: adminActor(principal), settings })).settings;
  }
}
