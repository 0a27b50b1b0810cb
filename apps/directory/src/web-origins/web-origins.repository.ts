import { Injectable } from '@nestjs/common';
import { DEFAULT_TOKEN_LIFETIME_HOURS, RegisteredOrigin, WebOriginsView } from '@gatehouse/contracts';
import { PrismaClient } from '@gatehouse/db';

interface Row {
  domain: string;
  appId: string;
  url: string;
  webOrigins: string[];
  tokenLifetimeHours: number | null;
}
const SELECT = { domain: true, appId: true, url: true, webOrigins: true, tokenLifetimeHours: true } as const;

/** The origin of an app's base URL, or null for a URL that has none (it was validated as http(s) when saved). */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

const view = (row: Row): WebOriginsView => ({
  app: row.appId,
  domain: row.domain,
  appOrigin: originOf(row.url),
  origins: row.webOrigins,
  tokenLifetimeHours: row.tokenLifetimeHours,
});

/** Issue 19: the web origins of app objects (the origin of `url` plus the extra ones an admin lists). */
@Injectable()
export class WebOriginsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Every registered origin of every domain, one entry per (origin, app). */
  async list(): Promise<RegisteredOrigin[]> {
    const rows: Row[] = await this.prisma.app.findMany({ select: SELECT, orderBy: [{ domain: 'asc' }, { appId: 'asc' }] });
    const out: RegisteredOrigin[] = [];
    for (const row of rows) {
      const tokenLifetimeHours = row.tokenLifetimeHours ?? DEFAULT_TOKEN_LIFETIME_HOURS;
      const origins = new Set([originOf(row.url), ...row.webOrigins].filter((origin): origin is string => !!origin));
      for (const origin of origins) out.push({ origin, domain: row.domain, appId: row.appId, tokenLifetimeHours });
    }
    return out;
  }

  async get(domain: string, appId: string): Promise<WebOriginsView | null> {
    const row = await this.prisma.app.findUnique({ where: { domain_appId: { domain, appId } }, select: SELECT });
    return row ? view(row) : null;
  }

  async set(domain: string, appId: string, origins: string[], tokenLifetimeHours: number | null): Promise<WebOriginsView | null> {
    const result = await this.prisma.app.updateMany({
      where: { domain, appId },
      data: { webOrigins: [...new Set(origins)], tokenLifetimeHours },
    });
    return result.count ? this.get(domain, appId) : null;
  }
}
