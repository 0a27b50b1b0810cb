import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HomeScreenSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { HomeScreenService } from './home-screen.service';

@Controller()
export class HomeScreenController {
  constructor(private readonly screens: HomeScreenService) {}

  @RpcHandler(HomeScreenSubjects.homeScreenGet)
  get(@Payload() req: ParsedRequestOf<'directory.homescreen.get'>): Promise<ReplyOf<'directory.homescreen.get'>> {
    return this.screens.get(req.userId, { domain: req.domain, stored: req.stored });
  }

  @RpcHandler(HomeScreenSubjects.homeScreenSet)
  set(@Payload() req: ParsedRequestOf<'directory.homescreen.set'>): Promise<ReplyOf<'directory.homescreen.set'>> {
    return this.screens.set(req.userId, { raw: req.raw, groups: req.groups }, { domain: req.domain });
  }
}
