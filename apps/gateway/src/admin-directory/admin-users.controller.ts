import { AccountsSubjects, DirectorySubjects, HomeScreenSubjects, SessionsSubjects } from '@gatehouse/contracts';
import { Controller, Req } from '@nestjs/common';
import { NatsClient } from '@gatehouse/platform';
import { AuditedRequest, auditIn } from '../admin-audit/audit-domain';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { adminActor } from '../directory/admin-scope';
import { Input, Route } from '../http/route.decorator';

/**
 * `/admin/users`: one request per route, carrying the acting administrator. The owning service
 * decides which users the actor reaches (directory for profiles, sessions for sessions); `auth`
 * runs account creation and password changes, which need both it and directory.
 */
@Controller()
export class AdminUsersController {
  constructor(private readonly nats: NatsClient) {}

  @Route('POST /admin/users')
  async create(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /admin/users'>) {
    return (await this.nats.send(AccountsSubjects.create, { actor: adminActor(principal), ...body })).user;
  }

  @Route('GET /admin/users')
  list(@CurrentPrincipal() principal: Principal, @Input() { query }: Input<'GET /admin/users'>) {
    const { domain, ...page } = query;
    return this.nats.send(
      DirectorySubjects.userList,
      { actor: adminActor(principal), domain: domain ?? principal.domain, ...page },
      { retries: 1 },
    );
  }

  @Route('GET /admin/users/:id')
  async get(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id'>) {
    return (await this.nats.send(DirectorySubjects.userDetailsGet, { actor: adminActor(principal), userId: params.id }, { retries: 1 }))
      .user;
  }

  @Route('PATCH /admin/users/:id')
  async update(@CurrentPrincipal() principal: Principal, @Input() { params, body }: Input<'PATCH /admin/users/:id'>) {
    return (await this.nats.send(AccountsSubjects.update, { actor: adminActor(principal), userId: params.id, patch: body })).user;
  }

  @Route('DELETE /admin/users/:id')
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: Input<'DELETE /admin/users/:id'>,
    @Req() request: AuditedRequest,
  ) {
    const { domain } = await this.nats.send(DirectorySubjects.userDelete, { actor: adminActor(principal), userId: params.id });
    auditIn(request, domain);
    return { deleted: true as const };
  }

  @Route('GET /admin/users/:id/homescreen')
  homeScreen(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id/homescreen'>) {
    return this.nats.send(
      HomeScreenSubjects.homeScreenGet,
      { actor: adminActor(principal), userId: params.id, stored: true },
      { retries: 1 },
    );
  }

  @Route('PUT /admin/users/:id/homescreen')
  async setHomeScreen(
    @CurrentPrincipal() principal: Principal,
    @Input() { params, body }: Input<'PUT /admin/users/:id/homescreen'>,
    @Req() request: AuditedRequest,
  ) {
    const { domain, ...screen } = await this.nats.send(HomeScreenSubjects.homeScreenSet, {
      actor: adminActor(principal),
      userId: params.id,
      ...body,
    });
    auditIn(request, domain);
    return screen;
  }

  @Route('GET /admin/users/:id/sessions')
  sessions(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'GET /admin/users/:id/sessions'>) {
    return this.nats.send(SessionsSubjects.list, { actor: adminActor(principal), userId: params.id }, { retries: 1 });
  }

  @Route('DELETE /admin/users/:id/sessions/:sessionId')
  async revokeSession(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: Input<'DELETE /admin/users/:id/sessions/:sessionId'>,
    @Req() request: AuditedRequest,
  ) {
    const { domain } = await this.nats.send(SessionsSubjects.revoke, {
      actor: adminActor(principal),
      userId: params.id,
      sessionId: params.sessionId,
    });
    auditIn(request, domain);
    return { revoked: true as const };
  }
}
