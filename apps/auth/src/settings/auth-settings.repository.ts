import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { AuthSettings as SettingsRow } from '@gatehouse/db';
import { AuthSettings, AuthType, ApprovalMode, DEFAULT_AUTH_SETTINGS } from '@gatehouse/contracts';

const ID = 1;

@Injectable()
export class AuthSettingsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(): Promise<AuthSettings> {
    const row = await this.prisma.authSettings.findUnique({ where: { id: ID } });
    return row ? toSettings(row) : DEFAULT_AUTH_SETTINGS;
  }

  async save(settings: AuthSettings): Promise<AuthSettings> {
    const data = {
      type: settings.type,
      twoFactor: settings.twoFactor,
      approvalMode: settings.approvalMode,
      pendingTtlSeconds: settings.pendingTtlSeconds,
      allowLoginWithoutApprovalPath: settings.allowLoginWithoutApprovalPath,
      federatedTwoFactorNetlogon: settings.federatedTwoFactor.netlogon,
      federatedTwoFactorOauth2: settings.federatedTwoFactor.oauth2,
      passwordReset: settings.passwordReset,
      passwordResetTtlSeconds: settings.passwordResetTtlSeconds,
      newDeviceNotice: settings.newDeviceNotice,
      minPasswordLength: settings.minPasswordLength,
      passkeyCountsAsTwoFactor: settings.passkeyCountsAsTwoFactor,
      approvalRequiresPasskey: settings.approvalRequiresPasskey,
      pbxPlainLogin: settings.pbxPlainLogin,
    };
    const row = await this.prisma.authSettings.upsert({ where: { id: ID }, create: { id: ID, ...data }, update: data });
    return toSettings(row);
  }
}

function toSettings(row: SettingsRow): AuthSettings {
  return {
    type: AuthType.parse(row.type),
    twoFactor: row.twoFactor,
    approvalMode: ApprovalMode.parse(row.approvalMode),
    pendingTtlSeconds: row.pendingTtlSeconds,
    allowLoginWithoutApprovalPath: row.allowLoginWithoutApprovalPath,
    federatedTwoFactor: { netlogon: row.federatedTwoFactorNetlogon, oauth2: row.federatedTwoFactorOauth2 },
    passwordReset: row.passwordReset,
    passwordResetTtlSeconds: row.passwordResetTtlSeconds,
    newDeviceNotice: row.newDeviceNotice,
    minPasswordLength: row.minPasswordLength,
    passkeyCountsAsTwoFactor: row.passkeyCountsAsTwoFactor,
    approvalRequiresPasskey: row.approvalRequiresPasskey,
    pbxPlainLogin: row.pbxPlainLogin,
  };
}
