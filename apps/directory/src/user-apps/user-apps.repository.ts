import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { AppRow } from '../apps/apps.repository';

export interface UsableApp extends AppRow {
  /** Devices of the user this (phone) app is assigned to. */
  devices: { device: string }[];
}

export interface UserApps {
  domain: string;
  username: string;
  apps: UsableApp[];
}

/**
 * The one rule for what a user may run (seed 000 "App permissions", "Special case: phone apps"):
 * apps granted on the user or through one of their templates, except phone apps, which count only
 * once assigned to one of the user's devices. Hidden apps are included: they still provide APIs.
 * In SQL, so that a statement can answer it in its own round trip (the home-screen write, issue 23):
 * the app ids usable by the user whose id and domain are the columns `id` and `domain` of the row alias `user`.
 */
export const usableAppIdsSql = (user: string): Prisma.Sql => {
  const u = Prisma.raw(user);
  return Prisma.sql`ARRAY(
    SELECT a."appId" FROM "directory"."UserAppGrant" g JOIN "directory"."App" a ON a."id" = g."appId"
    WHERE g."userId" = ${u}."id" AND a."domain" = ${u}."domain" AND NOT a."deviceApp"
    UNION
    SELECT a."appId" FROM "directory"."UserTemplate" ut
    JOIN "directory"."TemplateAppGrant" tg ON tg."templateId" = ut."templateId"
    JOIN "directory"."App" a ON a."id" = tg."appId"
    WHERE ut."userId" = ${u}."id" AND a."domain" = ${u}."domain" AND NOT a."deviceApp"
    UNION
    SELECT a."appId" FROM "directory"."DeviceAssignment" d JOIN "directory"."App" a ON a."id" = d."appId"
    WHERE d."userId" = ${u}."id" AND a."domain" = ${u}."domain" AND a."deviceApp"
  )`;
};

/** The usable apps themselves, by the rule above. */
@Injectable()
export class UserAppsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Null when there is no such user. */
  async usable(userId: string): Promise<UserApps | null> {
    const [user] = await this.prisma.$queryRaw<Array<{ domain: string; username: string; appIds: string[] }>>`
      SELECT u."domain", u."username", ${usableAppIdsSql('u')} AS "appIds" FROM "directory"."User" u WHERE u."id" = ${userId}::uuid`;
    if (!user) return null;
    const apps = await this.prisma.app.findMany({
      where: { domain: user.domain, appId: { in: user.appIds } },
      include: { devices: { where: { userId }, select: { device: true }, orderBy: { device: 'asc' } } },
      orderBy: [{ longName: 'asc' }, { appId: 'asc' }],
    });
    return { domain: user.domain, username: user.username, apps };
  }
}
