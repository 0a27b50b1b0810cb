import { Injectable } from '@nestjs/common';
import { computeAppLoginDigest } from '@gatehouse/app-login';
import { ReplyOf, UserAppView } from '@gatehouse/contracts';
import { SecretBox } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { toUserApp } from '../apps/app.mapper';
import { UserApps, UserAppsRepository } from './user-apps.repository';

/** "All apps", client-API providers and app login, all from the one rule in UserAppsRepository. */
@Injectable()
export class UserAppsService {
  constructor(
    private readonly userApps: UserAppsRepository,
    private readonly box: SecretBox,
  ) {}

  /** Hidden apps have no user interface and are not listed. */
  async list(userId: string): Promise<UserAppView[]> {
    const { apps } = await this.usable(userId);
    return apps
      .filter((app) => !app.hidden)
      .map((app) =>
        toUserApp(
          app,
          app.devices.map((d) => d.device),
        ),
      );
  }

  /** Every usable app that provides the API, hidden ones included. */
  async providers(userId: string, api: string): Promise<UserAppView[]> {
    const { apps } = await this.usable(userId);
    return apps
      .filter((app) => app.providedApis.includes(api))
      .map((app) =>
        toUserApp(
          app,
          app.devices.map((d) => d.device),
        ),
      );
  }

  /** One usable app (hidden ones included), or null. */
  async find(userId: string, appId: string): Promise<UserAppView | null> {
    const { apps } = await this.usable(userId);
    const app = apps.find((candidate) => candidate.appId === appId);
    return app
      ? toUserApp(
          app,
          app.devices.map((d) => d.device),
        )
      : null;
  }

  async usableIds(userId: string): Promise<Set<string>> {
    const { apps } = await this.usable(userId);
    return new Set(apps.map((app) => app.appId));
  }

  /** The digest an app's backend verifies with its shared secret (README "App login", libs/app-login). */
  async login(userId: string, appId: string, challenge: string): Promise<ReplyOf<'directory.app.login'>> {
    const { domain, username, apps } = await this.usable(userId);
    const app = apps.find((candidate) => candidate.appId === appId);
    // Apps the user may not run look the same as apps that do not exist.
    if (!app) throw new AppError('not_found', `No app ${appId} for this user`);
    if (app.secretEncrypted === '') throw new AppError('unprocessable', `App ${appId} has no shared secret configured`);
    const user = `${username}@${domain}`;
    const digest = computeAppLoginDigest(this.box.open(app.secretEncrypted), { appId, domain, user, challenge });
    return { app: appId, domain, user, challenge, digest };
  }

  private async usable(userId: string): Promise<UserApps> {
    const found = await this.userApps.usable(userId);
    if (!found) throw new AppError('not_found', 'No such user');
    return found;
  }
}
