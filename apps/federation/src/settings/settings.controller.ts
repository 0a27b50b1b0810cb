import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Actor, actsForInstallation, FederationSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, RpcHandler } from '@gatehouse/platform';
import type { FederationConfig } from '../config';
import { SettingsService } from './settings.service';

@Controller()
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    @Inject(CONFIG) private readonly config: FederationConfig,
  ) {}

  @RpcHandler(FederationSubjects.configGet)
  async get(@Payload() req: ParsedRequestOf<'federation.config.get'>): Promise<ReplyOf<'federation.config.get'>> {
    this.assertInstallationAdmin(req.actor);
    return { settings: await this.settings.view() };
  }

  @RpcHandler(FederationSubjects.configSet)
  async set(@Payload() req: ParsedRequestOf<'federation.config.set'>): Promise<ReplyOf<'federation.config.set'>> {
    const { actor, ...change } = req;
    this.assertInstallationAdmin(actor);
    return { settings: await this.settings.set(change) };
  }

  /** The domain controller and the OIDC issuer decide logins in every domain: installation administrators only. */
  private assertInstallationAdmin(actor: Actor): void {
    if (!actsForInstallation(actor, this.config.GATEHOUSE_DOMAIN)) {
      throw new AppError('forbidden', 'Only installation administrators may read or change the federation settings');
    }
  }
}
