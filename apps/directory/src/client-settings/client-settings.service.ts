import { Injectable } from '@nestjs/common';
import { MyAppsSettings, MyAppsSettingsPatch, ReplyOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { UserAppsService } from '../user-apps/user-apps.service';
import { ClientSettingsRepository } from './client-settings.repository';

const EMPTY: MyAppsSettings = { defaults: {}, resetPasswordPage: null, editProfileApp: null };

/** myApps client settings per domain (seed 000 "Deployment of settings", "Edit profile"). */
@Injectable()
export class ClientSettingsService {
  constructor(
    private readonly settings: ClientSettingsRepository,
    private readonly userApps: UserAppsService,
  ) {}

  async get(domain: string): Promise<MyAppsSettings> {
    // Stored by set() after validation; a row from an older shape falls back field by field.
    const parsed = MyAppsSettings.partial().safeParse(await this.settings.find(domain));
    return { ...EMPTY, ...(parsed.success ? parsed.data : {}) };
  }

  async set(domain: string, patch: MyAppsSettingsPatch): Promise<MyAppsSettings> {
    const next = { ...(await this.get(domain)), ...patch };
    await this.settings.save(domain, next);
    return next;
  }

  /** The user's domain settings; the edit-profile app is resolved only when the user may run it. */
  async forUser(userId: string): Promise<ReplyOf<'directory.client-config.get'>> {
    const domain = await this.settings.userDomain(userId);
    if (!domain) throw new AppError('not_found', 'No such user');
    const settings = await this.get(domain);
    const editProfile = settings.editProfileApp ? await this.userApps.find(userId, settings.editProfileApp) : null;
    return { ...settings, editProfile };
  }
}
