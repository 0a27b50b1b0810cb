import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthSettingsSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { AuthSettingsService } from './auth-settings.service';

@Controller()
export class AuthSettingsController {
  constructor(private readonly settings: AuthSettingsService) {}

  @RpcHandler(AuthSettingsSubjects.get)
  async get(): Promise<ReplyOf<'auth.settings.get'>> {
    return { settings: await this.settings.get() };
  }

  @RpcHandler(AuthSettingsSubjects.set)
  async set(@Payload() req: ParsedRequestOf<'auth.settings.set'>): Promise<ReplyOf<'auth.settings.set'>> {
    return { settings: await this.settings.set(req) };
  }
}
