import { Injectable } from '@nestjs/common';
import { AdminAppView, AppInput, AppPatch } from '@gatehouse/contracts';
import { SecretBox } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { toAdminApp } from './app.mapper';
import { AppData, AppsRepository } from './apps.repository';
import { AppsChangedNotifier } from '../user-apps/apps-changed.notifier';

/** App objects (seed 000 "App objects"): ids unique per domain, the shared secret sealed at rest and never returned. */
@Injectable()
export class AppsService {
  constructor(
    private readonly apps: AppsRepository,
    private readonly box: SecretBox,
    private readonly changed: AppsChangedNotifier,
  ) {}

  async create(domain: string, input: AppInput): Promise<AdminAppView> {
    const row = await this.apps.create(domain, input.id, {
      longName: input.name,
      url: input.url,
      secretEncrypted: this.seal(input.secret),
      hidden: input.hidden ?? false,
      plainWebsite: input.plainWebsite ?? false,
      websocket: input.websocket ?? false,
      providedApis: unique(input.apis ?? []),
      deviceApp: input.deviceApp ?? false,
      oidcClient: input.oidc ?? null,
    });
    if (!row) throw new AppError('app_exists', `An app with id ${input.id} already exists in ${domain}`, { field: 'id' });
    return toAdminApp(row);
  }

  async get(domain: string, appId: string): Promise<AdminAppView> {
    return toAdminApp(await this.found(this.apps.find(domain, appId), appId));
  }

  async list(domain: string, offset: number, limit: number) {
    const { rows, total } = await this.apps.list(domain, offset, limit);
    return { items: rows.map(toAdminApp), total, offset, limit };
  }

  async update(domain: string, appId: string, patch: AppPatch): Promise<AdminAppView> {
    const data: Partial<AppData> = {
      ...(patch.name !== undefined ? { longName: patch.name } : {}),
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.secret !== undefined ? { secretEncrypted: this.seal(patch.secret ?? undefined) } : {}),
      ...(patch.hidden !== undefined ? { hidden: patch.hidden } : {}),
      ...(patch.plainWebsite !== undefined ? { plainWebsite: patch.plainWebsite } : {}),
      ...(patch.websocket !== undefined ? { websocket: patch.websocket } : {}),
      ...(patch.apis !== undefined ? { providedApis: unique(patch.apis) } : {}),
      ...(patch.deviceApp !== undefined ? { deviceApp: patch.deviceApp } : {}),
      ...(patch.oidc !== undefined ? { oidcClient: patch.oidc } : {}),
    };
    const row = await this.found(this.apps.update(domain, appId, data), appId);
    // Only what users see changes their list; a new secret does not.
    if (Object.keys(data).some((key) => key !== 'secretEncrypted')) await this.changed.notify(await this.apps.holders(domain, appId));
    return toAdminApp(row);
  }

  async delete(domain: string, appId: string): Promise<void> {
    const holders = await this.apps.holders(domain, appId);
    if (!(await this.apps.delete(domain, appId))) throw new AppError('not_found', `No app ${appId} in ${domain}`);
    await this.changed.notify(holders);
  }

  /** The stored form: empty when the app has no shared secret, else SecretBox ciphertext. */
  private seal(secret: string | undefined): string {
    return secret === undefined ? '' : this.box.seal(secret);
  }

  private async found<T>(row: Promise<T | null>, appId: string): Promise<T> {
    const value = await row;
    if (!value) throw new AppError('not_found', `No app ${appId}`);
    return value;
  }
}

const unique = (values: string[]) => [...new Set(values)];
