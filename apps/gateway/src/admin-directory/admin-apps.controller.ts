import { Body, Controller, Delete, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminDomainQuery, AdminListQuery, AppId, AppInput, AppPatch, Domain } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AdminScope } from '../directory/admin-scope';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody, ApiZodQuery } from '../http/api-zod-body';

/** POST /admin/apps takes an optional `domain` next to the app (the admin's own by default). */
const AppCreateBody = AppInput.extend({ domain: Domain.optional() }).strict();
type AppCreateBody = z.infer<typeof AppCreateBody>;

/** `/admin/apps`: app objects, addressed by their id within a domain (`?domain=`, the admin's own by default). */
@ApiTags('admin')
@Controller('admin/apps')
@UseGuards(AccessGuard, AdminGuard)
export class AdminAppsController {
  constructor(
    private readonly nats: NatsClient,
    private readonly scope: AdminScope,
  ) {}

  @Post()
  @ApiZodBody(AppCreateBody)
  async create(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(AppCreateBody)) body: AppCreateBody) {
    const { domain, ...app } = body;
    return (await this.nats.send('directory.app.create', { domain: this.scope.domain(principal, domain), app })).app;
  }

  @Get()
  @ApiZodQuery(AdminListQuery.omit({ q: true }))
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(AdminListQuery.omit({ q: true }))) query: Omit<AdminListQuery, 'q'>) {
    const { domain, ...page } = query;
    return this.nats.send('directory.app.list', { ...page, domain: this.scope.domain(principal, domain) }, { retries: 1 });
  }

  @Get(':id')
  @ApiZodQuery(AdminDomainQuery)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodPipe(AppId)) id: string,
    @Query(new ZodPipe(AdminDomainQuery)) query: z.infer<typeof AdminDomainQuery>,
  ) {
    return (await this.nats.send('directory.app.get', { domain: this.scope.domain(principal, query.domain), id }, { retries: 1 })).app;
  }

  @Patch(':id')
  @ApiZodBody(AppPatch)
  @ApiZodQuery(AdminDomainQuery)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodPipe(AppId)) id: string,
    @Query(new ZodPipe(AdminDomainQuery)) query: z.infer<typeof AdminDomainQuery>,
    @Body(new ZodPipe(AppPatch)) patch: AppPatch,
  ) {
    return (await this.nats.send('directory.app.update', { domain: this.scope.domain(principal, query.domain), id, patch })).app;
  }

  @Delete(':id')
  @ApiZodQuery(AdminDomainQuery)
  delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodPipe(AppId)) id: string,
    @Query(new ZodPipe(AdminDomainQuery)) query: z.infer<typeof AdminDomainQuery>,
  ) {
    return this.nats.send('directory.app.delete', { domain: this.scope.domain(principal, query.domain), id });
  }
}
