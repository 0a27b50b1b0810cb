import { Injectable } from '@nestjs/common';
import { AuthMethods } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { AuthSettingsService } from '../settings/auth-settings.service';

/** What the login form shows, from the policy (and the provider name from `federation`). */
@Injectable()
export class LoginMethodsService {
  constructor(
    private readonly settings: AuthSettingsService,
    private readonly nats: NatsClient,
  ) {}

  async methods(): Promise<AuthMethods> {
    const settings = await this.settings.get();
    const oauth2 = settings.type.includes('oauth2');
    const providerName = oauth2 ? (await this.nats.send('federation.config.get', {})).settings.oidc.providerName : '';
    return {
      password: settings.type !== 'oauth2',
      netlogon: settings.type.includes('netlogon'),
      oauth2: oauth2 ? { providerName: providerName || 'OpenID Connect' } : null,
      twoFactor: settings.twoFactor,
      passwordReset: settings.passwordReset && settings.type !== 'oauth2',
    };
  }
}
