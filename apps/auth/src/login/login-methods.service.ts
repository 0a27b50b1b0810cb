import { Inject, Injectable } from '@nestjs/common';
import { AuthMethods, allows, FederationSubjects, ClientSettingsSubjects } from '@gatehouse/contracts';
import { CONFIG, NatsClient } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { AuthSettingsService } from '../settings/auth-settings.service';

/** What the login form shows, from the policy (and the provider name from `federation`, the reset page from `directory`). */
@Injectable()
export class LoginMethodsService {
  constructor(
    private readonly settings: AuthSettingsService,
    private readonly nats: NatsClient,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  async methods(): Promise<AuthMethods> {
    const settings = await this.settings.get();
    const { oauth2, windowsPassword, passwordForm: usesPassword } = allows(settings.type);
    const [providerName, resetPasswordPage] = await Promise.all([
      oauth2
        ? this.nats
            .send(FederationSubjects.configGet, { actor: { kind: 'system', service: 'auth' } })
            .then((r) => r.settings.oidc.providerName)
        : '',
      usesPassword ? this.resetPasswordPage() : null,
    ]);
    return {
      password: usesPassword,
      netlogon: windowsPassword,
      oauth2: oauth2 ? { providerName: providerName || 'OpenID Connect' } : null,
      twoFactor: settings.twoFactor,
      passwordReset: usesPassword && (settings.passwordReset || resetPasswordPage !== null),
      resetPasswordPage,
      pbxPlainLogin: settings.pbxPlainLogin,
    };
  }

  /** Seed 000: the admin switches "Forgot password?" to their own page in the myApps settings of the installation's domain. */
  private async resetPasswordPage(): Promise<string | null> {
    const { settings } = await this.nats.send(
      ClientSettingsSubjects.clientSettingsGet,
      { domain: this.config.GATEHOUSE_DOMAIN },
      { retries: 1 },
    );
    return settings.resetPasswordPage;
  }
}
