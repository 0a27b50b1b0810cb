import { DynamicModule, Module } from '@nestjs/common';
import { ResourceCloser, ServiceRuntime, natsClientProvider, redisProvider, runtimeProviders } from '@gatehouse/platform';
import { AdminAuthConfigController } from './admin-auth-config/admin-auth-config.controller';
import { AdminEmailController } from './admin-email/admin-email.controller';
import { adminAuditFeature } from './admin-audit/admin-audit.feature';
import { adminConsoleFeature } from './admin-console/admin-console.feature';
import { ApprovalEventsController } from './approvals/approval-events.controller';
import { EmailApprovalController } from './approvals/email-approval.controller';
import { MyApprovalsController } from './approvals/my-approvals.controller';
import { PendingLoginController } from './approvals/pending-login.controller';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { authFeature } from './auth/auth.feature';
import { passkeysFeature } from './passkeys/passkeys.feature';
import { directoryFeature } from './directory/directory.feature';
import { appRuntimeFeature } from './app-runtime/app-runtime.feature';
import { crossOriginFeature } from './cross-origin/cross-origin.feature';
import { accountFeature } from './account/account.feature';
import { GatewayConfig } from './config';
import { HealthController } from './health/health.controller';
import { OAuth2Controller } from './oauth2/oauth2.controller';
import { ReadinessService } from './health/readiness.service';
import { MetricsListener } from './health/metrics-listener';
import { WebClient } from './web/web-client';
import { ShutdownDrain } from './http/shutdown-drain';
import { OidcEventsController } from './oidc-provider/oidc-events.controller';
import { OidcProviderHost } from './oidc-provider/oidc-provider.host';
import { ClientAuthThrottle } from './oidc-provider/client-auth-throttle';

@Module({})
export class GatewayModule {
  static forRoot(runtime: ServiceRuntime<GatewayConfig>): DynamicModule {
    const { config } = runtime;
    return {
      module: GatewayModule,
      controllers: [
        HealthController,
        ...authFeature.controllers,
        OAuth2Controller,
        AdminEmailController,
        AdminAuthConfigController,
        PendingLoginController,
        MyApprovalsController,
        EmailApprovalController,
        ApprovalEventsController,
        PasswordResetController,
        ...directoryFeature.controllers,
        ...adminAuditFeature.controllers,
        ...adminConsoleFeature.controllers,
        ...passkeysFeature.controllers,
        ...appRuntimeFeature.controllers,
        ...crossOriginFeature.controllers,
        ...accountFeature.controllers,
        OidcEventsController,
      ],
      providers: [
        ...runtimeProviders(runtime),
        natsClientProvider(config.NATS_URL, 'gatehouse-gateway', config.NATS_REQUEST_TIMEOUT_MS),
        redisProvider({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX }),
        ShutdownDrain,
        ReadinessService,
        MetricsListener,
        ...authFeature.providers,
        ...directoryFeature.providers,
        ...adminAuditFeature.providers,
        ...appRuntimeFeature.providers,
        ...crossOriginFeature.providers,
        WebClient,
        OidcProviderHost,
        ClientAuthThrottle,
        ResourceCloser,
      ],
    };
  }
}
