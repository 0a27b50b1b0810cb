import { DynamicModule, Module } from '@nestjs/common';
import {
  AbandonedCalls,
  AbandonedCallsController,
  IntervalScheduler,
  ServiceRuntime,
  healthController,
  serviceProviders,
} from '@gatehouse/platform';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { OwnAccountController } from './own-account/own-account.controller';
import { OwnAccountService } from './own-account/own-account.service';
import { AutodeleteRepository } from './own-account/autodelete.repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuditController } from './audit/audit.controller';
import { webhookProviders, WebhooksController } from './webhooks/webhooks.providers';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AuthConfig } from './config';
import { ExternalUsersController } from './external-users/external-users.controller';
import { ExternalUsersRepository } from './external-users/external-users.repository';
import { ExternalUsersService } from './external-users/external-users.service';
import { FirstAdminService } from './first-admin/first-admin.service';
import { ApprovalLimiter } from './approvals/approval-limiter';
import { ApprovalsController } from './approvals/approvals.controller';
import { ApprovalDecisionsService } from './approvals/approval-decisions.service';
import { ApprovalMetrics } from './approvals/approval-metrics';
import { ApprovalRequestsService } from './approvals/approval-requests.service';
import { ApprovedLoginCollection } from './approvals/approved-login-collection.service';
import { PendingLoginsRepository } from './approvals/pending-logins.repository';
import { LoginCompletion } from './login/login-completion.service';
import { LoginController } from './login/login.controller';
import { LoginMethodsService } from './login/login-methods.service';
import { OAuth2LoginService } from './login/oauth2-login.service';
import { SecretVerifier } from './login/secret-verifier';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { PasswordResetService } from './password-reset/password-reset.service';
import { PasswordResetsRepository } from './password-reset/password-resets.repository';
import { ResetAddressLimiter } from './password-reset/reset-address-limiter';
import { PasswordLoginService } from './login/password-login.service';
import { LoginUserFinder } from './login/login-user-finder';
import { NetlogonOutcome } from './login/netlogon-outcome';
import { SessionStarter } from './sessions-client/session-starter';
import { CredentialsRepository } from './passwords/credentials.repository';
import { HashingPool } from './passwords/hashing-pool';
import { PasskeysController } from './passkeys/passkeys.controller';
import { OpaqueController } from './opaque/opaque.controller';
import { OpaqueLoginService } from './opaque/opaque-login.service';
import { OpaquePool } from './opaque/opaque-pool';
import { OpaqueRecordsRepository } from './opaque/opaque-records.repository';
import { OpaqueService } from './opaque/opaque.service';
import { PasskeyLoginService } from './passkeys/passkey-login.service';
import { PasskeysRepository } from './passkeys/passkeys.repository';
import { PasskeysService } from './passkeys/passkeys.service';
import { WebauthnCeremonies } from './passkeys/webauthn-ceremonies';
import { StrengthPool } from './passwords/strength-pool';
import { PasswordsController } from './passwords/passwords.controller';
import { PasswordsService } from './passwords/passwords.service';
import { ApprovalPaths } from './operator/approval-paths';
import { OperatorController } from './operator/operator.controller';
import { OperatorService } from './operator/operator.service';
import { AuthSettingsController } from './settings/auth-settings.controller';
import { AuthSettingsRepository } from './settings/auth-settings.repository';
import { AuthSettingsService } from './settings/auth-settings.service';
import { AuthenticationConfigService } from './settings/authentication-config.service';
import { TwoFactorGuard } from './settings/two-factor-guard';
import { LoginThrottle } from './throttle/login-throttle';
import { AccountLocks } from './throttle/account-locks';
import { AccountLocksController } from './throttle/account-locks.controller';
import { UserDeletedController } from './user-cleanup/user-deleted.controller';

@Module({})
export class AuthModule {
  static forRoot(runtime: ServiceRuntime<AuthConfig>): DynamicModule {
    return {
      module: AuthModule,
      controllers: [
        healthController('auth'),
        AbandonedCallsController,
        LoginController,
        PasswordsController,
        AccountsController,
        OwnAccountController,
        ApiKeysController,
        ExternalUsersController,
        UserDeletedController,
        AuthSettingsController,
        OperatorController,
        ApprovalsController,
        PasswordResetController,
        AuditController,
        WebhooksController,
        PasskeysController,
        OpaqueController,
        AccountLocksController,
      ],
      providers: [
        ...serviceProviders('auth', runtime, { redis: true, natsClient: true }),
        AbandonedCalls,
        AuditRepository,
        AuditService,
        LoginThrottle,
        AccountLocks,
        CredentialsRepository,
        HashingPool,
        PasskeysRepository,
        WebauthnCeremonies,
        PasskeysService,
        PasskeyLoginService,
        OpaquePool,
        OpaqueRecordsRepository,
        OpaqueService,
        OpaqueLoginService,
        StrengthPool,
        PasswordsService,
        AccountsService,
        OwnAccountService,
        AutodeleteRepository,
        PasswordLoginService,
        LoginUserFinder,
        NetlogonOutcome,
        SessionStarter,
        SecretVerifier,
        LoginCompletion,
        LoginMethodsService,
        OAuth2LoginService,
        PendingLoginsRepository,
        ApprovalLimiter,
        ApprovalMetrics,
        ApprovalRequestsService,
        ApprovalDecisionsService,
        ApprovedLoginCollection,
        PasswordResetsRepository,
        ResetAddressLimiter,
        PasswordResetService,
        ApiKeysRepository,
        ApiKeysService,
        ExternalUsersRepository,
        ExternalUsersService,
        FirstAdminService,
        AuthSettingsRepository,
        AuthSettingsService,
        AuthenticationConfigService,
        ApprovalPaths,
        TwoFactorGuard,
        OperatorService,
        IntervalScheduler,
        ...webhookProviders(runtime.config),
      ],
    };
  }
}
