import { Body, Controller, Get, Put, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminDomainQuery, MyAppsSettingsPatch } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import type { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AdminScope } from '../directory/admin-scope';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody, ApiZodQuery } from '../http/api-zod-body';

/** `/admin/config/myapps` (PBX/Config/myApps): client defaults, reset-password page, edit-profile app. */
@ApiTags('admin')
@Controller('admin/config/myapps')
@UseGuards(AccessGuard, AdminGuard)
export class AdminMyAppsConfigController {
  constructor(
    private readonly nats: NatsClient,
    private readonly scope: AdminScope,
  ) {}

  @Get()
  @ApiZodQuery(AdminDomainQuery)
  async get(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(AdminDomainQuery)) query: z.infer<typeof AdminDomainQuery>) {
    return (await this.nats.send('directory.client-settings.get', { domain: this.scope.domain(principal, query.domain) }, { retries: 1 }))
      .settings;
  }

  @Put()
  @ApiZodBody(MyAppsSettingsPatch)
  @ApiZodQuery(AdminDomainQuery)
  async set(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(AdminDomainQuery)) query: z.infer<typeof AdminDomainQuery>,
    @Body(new ZodPipe(MyAppsSettingsPatch)) body: MyAppsSettingsPatch,
  ) {
    return (await this.nats.send('directory.client-settings.set', { domain: this.scope.domain(principal, query.domain), settings: body }))
      .settings;
  }
}
