import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminListQuery, AdminUserBody, AdminUserPatchBody, HomeScreenBody } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AdminScope } from '../directory/admin-scope';
import { ZodPipe } from '../http/zod.pipe';
import { ApiZodBody, ApiZodQuery } from '../http/api-zod-body';

const UserIdParam = new ZodPipe(z.uuid());

/**
 * `/admin/users`: profiles and permissions live in `directory`, passwords in `auth` (which owns
 * login, hashing and brute-force protection), so a user with a password is made in two steps.
 */
@ApiTags('admin')
@Controller('admin/users')
@UseGuards(AccessGuard, AdminGuard)
export class AdminUsersController {
  constructor(
    private readonly nats: NatsClient,
    private readonly scope: AdminScope,
  ) {}

  @Post()
  @ApiZodBody(AdminUserBody)
  async create(@CurrentPrincipal() principal: Principal, @Body(new ZodPipe(AdminUserBody)) body: AdminUserBody) {
    const { password, ...profile } = body;
    const domain = this.scope.domain(principal, body.domain);
    const { user } = await this.nats.send('directory.user.create', { ...profile, domain });
    if (password !== undefined) {
      try {
        await this.nats.send('auth.password.set', { userId: user.id, password });
      } catch (error) {
        // A refused password (weak_password) leaves no half-made user behind.
        await this.nats.send('directory.user.delete', { userId: user.id }).catch(() => undefined);
        throw error;
      }
    }
    return (await this.nats.send('directory.user-details.get', { domain, userId: user.id })).user;
  }

  @Get()
  @ApiZodQuery(AdminListQuery)
  async list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(AdminListQuery)) query: z.infer<typeof AdminListQuery>) {
    const { domain: requested, ...page } = query;
    return this.nats.send('directory.user.list', { ...page, domain: this.scope.domain(principal, requested) }, { retries: 1 });
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UserIdParam) userId: string) {
    const domain = await this.scope.userDomain(principal, userId);
    return (await this.nats.send('directory.user-details.get', { domain, userId }, { retries: 1 })).user;
  }

  @Patch(':id')
  @ApiZodBody(AdminUserPatchBody)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UserIdParam) userId: string,
    @Body(new ZodPipe(AdminUserPatchBody)) body: AdminUserPatchBody,
  ) {
    const { password, ...patch } = body;
    const domain = await this.scope.userDomain(principal, userId);
    if (userId === principal.userId && patch.admin === false)
      throw new AppError('forbidden', 'Administrators cannot take away their own admin flag');
    if (password !== undefined) await this.nats.send('auth.password.set', { userId, password });
    return (await this.nats.send('directory.user.update', { domain, userId, patch })).user;
  }

  @Delete(':id')
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', UserIdParam) userId: string) {
    await this.scope.userDomain(principal, userId);
    if (userId === principal.userId) throw new AppError('forbidden', 'Administrators cannot delete themselves');
    const { deleted } = await this.nats.send('directory.user.delete', { userId });
    if (!deleted) throw new AppError('not_found', 'No such user');
    return { deleted: true };
  }

  /** The home screen as stored ("Edit User"/"Home Screen Apps"), items of apps the user lost included. */
  @Get(':id/homescreen')
  async homeScreen(@CurrentPrincipal() principal: Principal, @Param('id', UserIdParam) userId: string) {
    const domain = await this.scope.userDomain(principal, userId);
    return this.nats.send('directory.homescreen.get', { userId, domain, stored: true }, { retries: 1 });
  }

  @Put(':id/homescreen')
  @ApiZodBody(HomeScreenBody)
  async setHomeScreen(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UserIdParam) userId: string,
    @Body(new ZodPipe(HomeScreenBody)) body: HomeScreenBody,
  ) {
    const domain = await this.scope.userDomain(principal, userId);
    return this.nats.send('directory.homescreen.set', { userId, domain, ...body });
  }

  @Get(':id/sessions')
  async sessions(@CurrentPrincipal() principal: Principal, @Param('id', UserIdParam) userId: string) {
    await this.scope.userDomain(principal, userId);
    return this.nats.send('sessions.session.list', { userId }, { retries: 1 });
  }

  @Delete(':id/sessions/:sessionId')
  async revokeSession(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UserIdParam) userId: string,
    @Param('sessionId', UserIdParam) sessionId: string,
  ) {
    await this.scope.userDomain(principal, userId);
    const { revoked } = await this.nats.send('sessions.session.revoke', { userId, sessionId });
    if (!revoked) throw new AppError('not_found', 'No such session');
    return { revoked: true };
  }
}
