import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ClientSettingsSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AdminScope } from '../admin-scope';
import { ClientSettingsService } from './client-settings.service';

@Controller()
export class ClientSettingsController {
  constructor(
    private readonly settings: ClientSettingsService,
    private readonly scope: AdminScope,
  ) {}

  @RpcHandler(ClientSettingsSubjects.clientSettingsGet)
  async get(@Payload() req: ParsedRequestOf<'directory.client-settings.get'>): Promise<ReplyOf<'directory.client-settings.get'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return { settings: await this.settings.get(req.domain) };
  }

  @RpcHandler(ClientSettingsSubjects.clientSettingsSet)
  async set(@Payload() req: ParsedRequestOf<'directory.client-settings.set'>): Promise<ReplyOf<'directory.client-settings.set'>> {
    this.scope.assertDomain(req.actor, req.domain);
    return { settings: await this.settings.set(req.domain, req.settings) };
  }

  @RpcHandler(ClientSettingsSubjects.clientConfigGet)
  forUser(@Payload() req: ParsedRequestOf<'directory.client-config.get'>): Promise<ReplyOf<'directory.client-config.get'>> {
    return this.settings.forUser(req.userId);
  }
}
