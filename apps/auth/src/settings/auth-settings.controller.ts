import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Actor, actsForInstallation, AuthSettingsSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, RpcHandler } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { AuthSettingsService } from './auth-settings.service';
import { AuthenticationConfigService } from './authentication-config.service';

@Controller()
export class AuthSettingsController {
  constructor(
    private readonly settings: AuthSettingsService,
    private readonly authenticationConfig: AuthenticationConfigService,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  @RpcHandler(AuthSettingsSubjects.get)
  async get(@Payload() req: ParsedRequestOf<'auth.settings.get'>): Promise<ReplyOf<'auth.settings.get'>> {
    this.assertInstallationAdmin(req.actor);
    return { settings: await this.settings.get() };
  }

  @RpcHandler(AuthSettingsSubjects.set)
  async set(@Payload() req: ParsedRequestOf<'auth.settings.set'>): Promise<ReplyOf<'auth.settings.set'>> {
    const { actor, ...change } = req;
    this.assertInstallationAdmin(actor);
    return { settings: await this.settings.set(change, actor) };
  }

  /** The administrator's document: the policy with the federation settings, checked against each other. */
  @RpcHandler(AuthSettingsSubjects.configGet)
  async getConfig(@Payload() req: ParsedRequestOf<'auth.authentication-config.get'>): Promise<ReplyOf<'auth.authentication-config.get'>> {
    this.assertInstallationAdmin(req.actor);
    return { config: await this.authenticationConfig.get(req.actor) };
  }

  @RpcHandler(AuthSettingsSubjects.configSet)
  async setConfig(@Payload() req: ParsedRequestOf<'auth.authentication-config.set'>): Promise<ReplyOf<'auth.authentication-config.set'>> {
    const { actor, ...change } = req;
    this.assertInstallationAdmin(actor);
    return { config: await this.authenticationConfig.set(actor, change) };
  }

  /** The policy decides every login of every domain: an admin of another domain could take them all over. */
  private assertInstallationAdmin(actor: Actor): void {
    if (!actsForInstallation(actor, this.config.GATEHOUSE_DOMAIN)) {
      throw new AppError('forbidden', 'Only installation administrators may read or change the authentication settings');
    }
  }
}
