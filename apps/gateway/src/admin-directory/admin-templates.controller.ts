import { Body, Controller, Delete, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminDomainQuery, AdminListQuery, Domain, TemplateInput, TemplatePatch } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AdminScope } from '../directory/admin-scope';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody, ApiZodQuery } from '../http/api-zod-body';

const TemplateCreateBody = TemplateInput.extend({ domain: Domain.optional() }).strict();
type TemplateCreateBody = z.infer<typeof TemplateCreateBody>;
const TemplateIdParam = new ZodPipe(z.uuid());

/** `/admin/templates`: app permissions many users share. */
@ApiTags('admin')
@Controller('admin/templates')
@UseGuards(AccessGuard, AdminGuard)
export class AdminTemplatesController {
  constructor(
    private readonly nats: NatsClient,
    private readonly scope: AdminScope,
  ) {}

  @Post()
  @ApiZodBody(TemplateCreateBody)
  async create(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(TemplateCreateBody)) body: TemplateCreateBody) {
    const { domain, ...template } = body;
    return (await this.nats.send('directory.template.create', { domain: this.scope.domain(principal, domain), template })).template;
  }

  @Get()
  @ApiZodQuery(AdminListQuery.omit({ q: true }))
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(AdminListQuery.omit({ q: true }))) query: Omit<AdminListQuery, 'q'>) {
    const { domain, ...page } = query;
    return this.nats.send('directory.template.list', { ...page, domain: this.scope.domain(principal, domain) }, { retries: 1 });
  }

  @Get(':id')
  @ApiZodQuery(AdminDomainQuery)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', TemplateIdParam) templateId: string,
    @Query(new ZodPipe(AdminDomainQuery)) query: z.infer<typeof AdminDomainQuery>,
  ) {
    return (
      await this.nats.send('directory.template.get', { domain: this.scope.domain(principal, query.domain), templateId }, { retries: 1 })
    ).template;
  }

  @Patch(':id')
  @ApiZodBody(TemplatePatch)
  @ApiZodQuery(AdminDomainQuery)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', TemplateIdParam) templateId: string,
    @Query(new ZodPipe(AdminDomainQuery)) query: z.infer<typeof AdminDomainQuery>,
    @Body(new ZodPipe(TemplatePatch)) patch: TemplatePatch,
  ) {
    return (await this.nats.send('directory.template.update', { domain: this.scope.domain(principal, query.domain), templateId, patch }))
      .template;
  }

  @Delete(':id')
  @ApiZodQuery(AdminDomainQuery)
  delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', TemplateIdParam) templateId: string,
    @Query(new ZodPipe(AdminDomainQuery)) query: z.infer<typeof AdminDomainQuery>,
  ) {
    return this.nats.send('directory.template.delete', { domain: this.scope.domain(principal, query.domain), templateId });
  }
}
