import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HomeScreenSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AdminScope } from '../admin-scope';
import { HomeScreenService } from './home-screen.service';

@Controller()
export class HomeScreenController {
  constructor(
    private readonly screens: HomeScreenService,
    private readonly scope: AdminScope,
  ) {}

  @RpcHandler(HomeScreenSubjects.homeScreenGet)
  get(@Payload() req: ParsedRequestOf<'directory.homescreen.get'>): Promise<ReplyOf<'directory.homescreen.get'>> {
    return this.screens.get(req.userId, { domain: this.scope.reach(req.actor), stored: req.stored });
  }

  @RpcHandler(HomeScreenSubjects.homeScreenSet)
  async set(@Payload() req: ParsedRequestOf<'directory.homescreen.set'>): Promise<ReplyOf<'directory.homescreen.set'>> {
    const { domain, ...view } = await this.screens.set(
      req.userId,
      { raw: req.raw, groups: req.groups },
      { domain: this.scope.reach(req.actor) },
    );
    // The domain is for an administrator's audit row; a user's own request answers the home screen alone.
    return req.actor ? { ...view, domain } : view;
  }
}
