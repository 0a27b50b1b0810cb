import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ParsedRequestOf, ReplyOf, TemplatesSubjects } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { TemplatesService } from './templates.service';

@Controller()
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @RpcHandler(TemplatesSubjects.templateCreate)
  async create(@Payload() req: ParsedRequestOf<'directory.template.create'>): Promise<ReplyOf<'directory.template.create'>> {
    return { template: await this.templates.create(req.domain, req.template) };
  }

  @RpcHandler(TemplatesSubjects.templateGet)
  async get(@Payload() req: ParsedRequestOf<'directory.template.get'>): Promise<ReplyOf<'directory.template.get'>> {
    return { template: await this.templates.get(req.domain, req.templateId) };
  }

  @RpcHandler(TemplatesSubjects.templateList)
  list(@Payload() req: ParsedRequestOf<'directory.template.list'>): Promise<ReplyOf<'directory.template.list'>> {
    return this.templates.list(req.domain, req.offset, req.limit);
  }

  @RpcHandler(TemplatesSubjects.templateUpdate)
  async update(@Payload() req: ParsedRequestOf<'directory.template.update'>): Promise<ReplyOf<'directory.template.update'>> {
    return { template: await this.templates.update(req.domain, req.templateId, req.patch) };
  }

  @RpcHandler(TemplatesSubjects.templateDelete)
  async delete(@Payload() req: ParsedRequestOf<'directory.template.delete'>): Promise<ReplyOf<'directory.template.delete'>> {
    await this.templates.delete(req.domain, req.templateId);
    return { deleted: true };
  }
}
