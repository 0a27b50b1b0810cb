import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ParsedRequestOf, ReplyOf, TemplatesSubjects } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AdminScope } from '../admin-scope';
import { TemplatesService } from './templates.service';

@Controller()
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly scope: AdminScope,
  ) {}

  @RpcHandler(TemplatesSubjects.templateCreate)
  async create(@Payload() req: ParsedRequestOf<'directory.template.create'>): Promise<ReplyOf<'directory.template.create'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return { template: await this.templates.create(req.domain, req.template) };
  }

  @RpcHandler(TemplatesSubjects.templateGet)
  async get(@Payload() req: ParsedRequestOf<'directory.template.get'>): Promise<ReplyOf<'directory.template.get'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return { template: await this.templates.get(req.domain, req.templateId) };
  }

  @RpcHandler(TemplatesSubjects.templateList)
  async list(@Payload() req: ParsedRequestOf<'directory.template.list'>): Promise<ReplyOf<'directory.template.list'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return this.templates.list(req.domain, req.offset, req.limit);
  }

  @RpcHandler(TemplatesSubjects.templateUpdate)
  async update(@Payload() req: ParsedRequestOf<'directory.template.update'>): Promise<ReplyOf<'directory.template.update'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return { template: await this.templates.update(req.domain, req.templateId, req.patch) };
  }

  @RpcHandler(TemplatesSubjects.templateDelete)
  async delete(@Payload() req: ParsedRequestOf<'directory.template.delete'>): Promise<ReplyOf<'directory.template.delete'>> {
    this.scope.assertDomain(req.actor, req.domain);
    await this.templates.delete(req.domain, req.templateId);
    return { deleted: true };
  }
}
