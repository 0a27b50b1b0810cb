import { DynamicModule, Module } from '@nestjs/common';
import { OutboundPolicy, ServiceRuntime, healthController, serviceProviders } from '@gatehouse/platform';
import { SecretBox } from '@gatehouse/crypto';
import { FederationConfig } from './config';
import { IdentitiesRepository } from './oauth2/identities.repository';
import { OAuth2Controller } from './oauth2/oauth2.controller';
import { OAuth2FlowsRepository } from './oauth2/oauth2-flows.repository';
import { OAuth2Service, PBX_DOMAIN } from './oauth2/oauth2.service';
import { OidcClient } from './oauth2/oidc-client';
import { NetlogonController } from './netlogon/netlogon.controller';
import { NetlogonVerifier } from './netlogon/netlogon.verifier';
import { BadPasswordsRepository } from './netlogon/bad-passwords.repository';
import { NetlogonProbe } from './netlogon/netlogon-probe';
import { IssuerProbe } from './settings/issuer-probe';
import { SettingsController } from './settings/settings.controller';
import { SettingsRepository } from './settings/settings.repository';
import { SettingsService } from './settings/settings.service';

@Module({})
export class FederationModule {
  static forRoot(runtime: ServiceRuntime<FederationConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: FederationModule,
      controllers: [healthController('federation'), SettingsController, NetlogonController, OAuth2Controller],
      providers: [
        ...serviceProviders('federation', runtime, { natsClient: true }),
        { provide: PBX_DOMAIN, useValue: config.GATEHOUSE_DOMAIN },
        { provide: SecretBox, useValue: new SecretBox(config.GATEHOUSE_ENCRYPTION_KEY) },
        { provide: OutboundPolicy, useValue: new OutboundPolicy(config.OUTBOUND_ALLOWED_NETWORKS) },
        IssuerProbe,
        SettingsRepository,
        SettingsService,
        BadPasswordsRepository,
        NetlogonVerifier,
        NetlogonProbe,
        OidcClient,
        OAuth2FlowsRepository,
        IdentitiesRepository,
        OAuth2Service,
      ],
    };
  }
}
