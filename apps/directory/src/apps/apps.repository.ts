import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { OidcClientSettings } from '@gatehouse/contracts';
import { isUniqueViolation } from '../prisma-errors';
import type { App as AppRow } from '@gatehouse/db';

export type { AppRow };

export interface AppData {
  longName: string;
  url: string;
  secretEncrypted: string;
  hidden: boolean;
  plainWebsite: boolean;
  websocket: boolean;
  providedApis: string[];
  deviceApp: boolean;
  /** Null: not an OpenID Connect client. */
  oidcClient: OidcClientSettings | null;
}

@Injectable()
export class AppsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Returns null when the id is taken in that domain. */
  async create(domain: string, appId: string, data: AppData): Promise<AppRow | null> {
    try {
      return await this.prisma.app.create({ data: { domain, appId, ...data, oidcClient: oidcColumn(data.oidcClient) } });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  find(domain: string, appId: string): Promise<AppRow | null> {
    return this.prisma.app.findUnique({ where: { domain_appId: { domain, appId } } });
  }

  async list(domain: string, offset: number, limit: number): Promise<{ rows: AppRow[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.prisma.app.findMany({ where: { domain }, orderBy: { appId: 'asc' }, skip: offset, take: limit }),
      this.prisma.app.count({ where: { domain } }),
    ]);
    return { rows, total };
  }

  /** Returns null when there is no such app. */
  async update(domain: string, appId: string, data: Partial<AppData>): Promise<AppRow | null> {
    const { oidcClient, ...rest } = data;
    const { count } = await this.prisma.app.updateMany({
      where: { domain, appId },
      data: { ...rest, ...(oidcClient !== undefined ? { oidcClient: oidcColumn(oidcClient) } : {}) },
    });
    return count === 1 ? this.find(domain, appId) : null;
  }

  async delete(domain: string, appId: string): Promise<boolean> {
    const { count } = await this.prisma.app.deleteMany({ where: { domain, appId } });
    return count === 1;
  }

  /** Users who hold the app in any way: directly, through a template or on a device. */
  async holders(domain: string, appId: string): Promise<string[]> {
    const app = { domain, appId };
    const users = await this.prisma.user.findMany({
      where: {
        OR: [
          { appGrants: { some: { app } } },
          { templates: { some: { template: { appGrants: { some: { app } } } } } },
          { deviceAppsUsed: { some: { app } } },
        ],
      },
      select: { id: true },
    });
    return users.map((user) => user.id);
  }
}

const oidcColumn = (settings: OidcClientSettings | null): Prisma.InputJsonValue | typeof Prisma.DbNull =>
  (settings as Prisma.InputJsonValue | null) ?? Prisma.DbNull;
