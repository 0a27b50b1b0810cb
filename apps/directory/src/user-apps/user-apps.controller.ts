import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AppsSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { UserAppsService } from './user-apps.service';

@Controller()
export class UserAppsController {
  constructor(private readonly userApps: UserAppsService) {}

  @RpcHandler(AppsSubjects.userAppsList)
  async list(@Payload() req: ParsedRequestOf<'directory.user-apps.list'>): Promise<ReplyOf<'directory.user-apps.list'>> {
    return { apps: await this.userApps.list(req.userId) };
  }

  @RpcHandler(AppsSubjects.apiProvidersList)
  async providers(@Payload() req: ParsedRequestOf<'directory.api-providers.list'>): Promise<ReplyOf<'directory.api-providers.list'>> {
    return { apps: await this.userApps.providers(req.userId, req.api) };
  }

  @RpcHandler(AppsSubjects.appLogin)
  login(@Payload() req: ParsedRequestOf<'directory.app.login'>): Promise<ReplyOf<'directory.app.login'>> {
    return this.userApps.login(req.userId, req.appId, req.challenge);
  }
}
