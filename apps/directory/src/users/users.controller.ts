import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DirectorySubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { UsersService } from './users.service';

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @RpcHandler(DirectorySubjects.userGet)
  async get(@Payload() req: ParsedRequestOf<'directory.user.get'>): Promise<ReplyOf<'directory.user.get'>> {
    return { user: await this.users.get(req.userId) };
  }

  @RpcHandler(DirectorySubjects.userFindByLogin)
  async findByLogin(@Payload() req: ParsedRequestOf<'directory.user.find-by-login'>): Promise<ReplyOf<'directory.user.find-by-login'>> {
    return { user: await this.users.findByLogin(req.login, req.defaultDomain) };
  }

  @RpcHandler(DirectorySubjects.userCreate)
  async create(@Payload() req: ParsedRequestOf<'directory.user.create'>): Promise<ReplyOf<'directory.user.create'>> {
    return { user: await this.users.create(req) };
  }

  @RpcHandler(DirectorySubjects.userDelete)
  async delete(@Payload() req: ParsedRequestOf<'directory.user.delete'>): Promise<ReplyOf<'directory.user.delete'>> {
    const domain = await this.users.delete(req.actor, req.userId);
    return domain === null ? { deleted: false } : { deleted: true, domain };
  }

  @RpcHandler(DirectorySubjects.userDetailsGet)
  async details(@Payload() req: ParsedRequestOf<'directory.user-details.get'>): Promise<ReplyOf<'directory.user-details.get'>> {
    return { user: await this.users.details(req.actor, req.userId) };
  }

  @RpcHandler(DirectorySubjects.userList)
  list(@Payload() req: ParsedRequestOf<'directory.user.list'>): Promise<ReplyOf<'directory.user.list'>> {
    return this.users.list(req.actor, req.domain, req.offset, req.limit, req.q);
  }

  @RpcHandler(DirectorySubjects.userUpdate)
  async update(@Payload() req: ParsedRequestOf<'directory.user.update'>): Promise<ReplyOf<'directory.user.update'>> {
    return { user: await this.users.update(req) };
  }
}
