import { Injectable } from '@nestjs/common';
import {
  Actor,
  AuthenticationConfig,
  AuthenticationConfigChange,
  AuthType,
  FederationSettingsView,
  FederationSubjects,
} from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { AuthSettingsService } from './auth-settings.service';

/** federation's answer may take this long: it checks an issuer's discovery document or a domain controller's URL. */
export const FEDERATION_WRITE_TIMEOUT_MS = 15_000;

/**
 * `/admin/config/authentication`: the auth policy (kept here) and the Netlogon/OIDC settings (kept by
 * `federation`) as one document. Federation is written first, so an unreachable issuer or a malformed
 * LDAP URL is refused before the policy starts to rely on it; federation refuses domain administrators itself.
 */
@Injectable()
export class AuthenticationConfigService {
  constructor(
    private readonly nats: NatsClient,
    private readonly settings: AuthSettingsService,
  ) {}

  async get(actor: Actor): Promise<AuthenticationConfig> {
    const [settings, federation] = await Promise.all([this.settings.get(), this.nats.send(FederationSubjects.configGet, { actor })]);
    return { ...settings, ...federation.settings };
  }

  async set(actor: Actor, { netlogon, oidc, ...policy }: AuthenticationConfigChange): Promise<AuthenticationConfig> {
    const change = {
      ...(netlogon ? { netlogon: withoutReadOnly(netlogon, 'servicePasswordSet') } : {}),
      ...(oidc ? { oidc: withoutReadOnly(oidc, 'clientSecretSet') } : {}),
    };
    const federation =
      netlogon || oidc
        ? await this.nats.send(FederationSubjects.configSet, { actor, ...change }, { timeoutMs: FEDERATION_WRITE_TIMEOUT_MS })
        : await this.nats.send(FederationSubjects.configGet, { actor });
    if (policy.type) assertConfigured(policy.type, federation.settings);
    const settings = await this.settings.set(policy, actor);
    return { ...settings, ...federation.settings };
  }
}

/** A type that needs a domain controller or an issuer is refused until one is configured. */
export function assertConfigured(type: AuthType, federation: Pick<FederationSettingsView, 'netlogon' | 'oidc'>): void {
  if (type.includes('netlogon') && !federation.netlogon.url) {
    throw new AppError('validation_failed', 'type netlogon needs a Netlogon domain controller (netlogon.url)', { field: 'type' });
  }
  if (type.includes('oauth2') && (!federation.oidc.issuer || !federation.oidc.clientId)) {
    throw new AppError('validation_failed', 'type oauth2 needs an OpenID Connect issuer and client (oidc.issuer, oidc.clientId)', {
      field: 'type',
    });
  }
}

/** The GET answer's read-only flags may come back in a PUT; they are not settings, so they stop here. */
function withoutReadOnly<T extends object, K extends keyof T>(section: T, key: K): Omit<T, K> {
  const { [key]: _readOnly, ...rest } = section;
  return rest;
}
