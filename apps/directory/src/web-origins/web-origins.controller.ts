import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ParsedRequestOf, ReplyOf, WebOriginsSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { RpcHandler } from '@gatehouse/platform';
import { WebOriginsRepository } from './web-origins.repository';

/** Issue 19: which origins may use the login library, the hosted login page and CORS. */
@Controller()
export class WebOriginsController {
  constructor(private readonly origins: WebOriginsRepository) {}

  @RpcHandler(WebOriginsSubjects.list)
  async list(): Promise<ReplyOf<'directory.web-origins.list'>> {
    return { origins: await this.origins.list() };
  }

  @RpcHandler(WebOriginsSubjects.get)
  async get(@Payload() req: ParsedRequestOf<'directory.web-origins.get'>): Promise<ReplyOf<'directory.web-origins.get'>> {
    const found = await this.origins.get(req.domain, req.id);
    if (!found) throw new AppError('not_found', `No app ${req.id} in ${req.domain}`);
    return found;
  }

  @RpcHandler(WebOriginsSubjects.set)
  async set(@Payload() req: ParsedRequestOf<'directory.web-origins.set'>): Promise<ReplyOf<'directory.web-origins.set'>> {
    const saved = await this.origins.set(req.domain, req.id, req.origins, req.tokenLifetimeHours);
    if (!saved) throw new AppError('not_found', `No app ${req.id} in ${req.domain}`);
    return saved;
  }
}
