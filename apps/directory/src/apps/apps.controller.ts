import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AppsSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AdminScope } from '../admin-scope';
import { AppsService } from './apps.service';

@Controller()
export class AppsController {
  constructor(
    private readonly apps: AppsService,
    private readonly scope: AdminScope,
  ) {}

  @RpcHandler(AppsSubjects.appCreate)
  async create(@Payload() req: ParsedRequestOf<'directory.app.create'>): Promise<ReplyOf<'directory.app.create'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return { app: await this.apps.create(req.domain, req.app) };
  }

  @RpcHandler(AppsSubjects.appGet)
  async get(@Payload() req: ParsedRequestOf<'directory.app.get'>): Promise<ReplyOf<'directory.app.get'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return { app: await this.apps.get(req.domain, req.id) };
  }

  @RpcHandler(AppsSubjects.appList)
  async list(@Payload() req: ParsedRequestOf<'directory.app.list'>): Promise<ReplyOf<'directory.app.list'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return this.apps.list(req.domain, req.offset, req.limit);
  }

  @RpcHandler(AppsSubjects.appUpdate)
  async update(@Payload() req: ParsedRequestOf<'directory.app.update'>): Promise<ReplyOf<'directory.app.update'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return { app: await this.apps.update(req.domain, req.id, req.patch) };
  }

  @RpcHandler(AppsSubjects.appDelete)
  async delete(@Payload() req: ParsedRequestOf<'directory.app.delete'>): Promise<ReplyOf<'directory.app.delete'>> {
    this.scope.assertDomain(req.actor, req.domain);
    await this.apps.delete(req.domain, req.id);
    return { deleted: true };
  }
}
