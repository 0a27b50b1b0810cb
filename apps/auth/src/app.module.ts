import { DynamicModule, Module } from '@nestjs/common';
import { IntervalScheduler, ServiceRuntime, healthController, serviceProviders } from '@gatehouse/platform';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { AuthConfig } from './config';
import { ExternalUsersController } from './external-users/external-users.controller';
import { ExternalUsersRepository } from './external-users/external-users.repository';
import { ExternalUsersService } from './external-users/external-users.service';
import { FirstAdminService } from './first-admin/first-admin.service';
import { ApprovalLimiter } from './approvals/approval-limiter';
import { ApprovalsController } from './approvals/approvals.controller';
import { ApprovalsService } from './approvals/approvals.service';
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
import { SessionStarter } from './login/session-starter';
import { CredentialsRepository } from './passwords/credentials.repository';
import { HashingPool } from './passwords/hashing-pool';
import { StrengthPool } from './passwords/strength-pool';
import { PasswordsController } from './passwords/passwords.controller';
import { PasswordsService } from './passwords/passwords.service';
import { AuthSettingsController } from './settings/auth-settings.controller';
import { AuthSettingsRepository } from './settings/auth-settings.repository';
import { AuthSettingsService } from './settings/auth-settings.service';
import { LoginThrottle } from './throttle/login-throttle';
import { UserDeletedController } from './user-cleanup/user-deleted.controller';

@Module({})
export class AuthModule {
  static forRoot(runtime: ServiceRuntime<AuthConfig>): DynamicModule {
    return {
      module: AuthModule,
      controllers: [
        healthController('auth'),
        LoginController,
        PasswordsController,
        ApiKeysController,
        ExternalUsersController,
        UserDeletedController,
        AuthSettingsController,
        ApprovalsController,
        PasswordResetController,
      ],
      providers: [
        ...serviceProviders('auth', runtime, { redis: true, natsClient: true }),
        AuditRepository,
        AuditService,
        LoginThrottle,
        CredentialsRepository,
        HashingPool,
        StrengthPool,
        PasswordsService,
        PasswordLoginService,
        SessionStarter,
        SecretVerifier,
        LoginCompletion,
        LoginMethodsService,
        OAuth2LoginService,
        PendingLoginsRepository,
        ApprovalLimiter,
        ApprovalsService,
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
        IntervalScheduler,
      ],
    };
  }
}
