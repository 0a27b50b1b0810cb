import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { FederationSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { SettingsService } from './settings.service';

@Controller()
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @RpcHandler(FederationSubjects.configGet)
  async get(): Promise<ReplyOf<'federation.config.get'>> {
    return { settings: await this.settings.view() };
  }

  @RpcHandler(FederationSubjects.configSet)
  async set(@Payload() req: ParsedRequestOf<'federation.config.set'>): Promise<ReplyOf<'federation.config.set'>> {
    return { settings: await this.settings.set(req) };
  }
}
