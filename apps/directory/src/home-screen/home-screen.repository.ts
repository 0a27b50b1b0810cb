import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import { usableAppIdsSql } from '../user-apps/user-apps.repository';

/** What a saved home screen needs for its `homescreen.changed` event. */
export interface SavedHomeScreen {
  domain: string;
  /** The app ids the user may run now (UserAppsRepository.usable's apps), to filter what the sockets are shown. */
  usableAppIds: string[];
}

@Injectable()
export class HomeScreenRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Null when the user does not exist (in `domain`, when given). */
  async findRaw(userId: string, domain?: string): Promise<string | null> {
    const row = await this.prisma.user.findFirst({ where: { id: userId, ...(domain ? { domain } : {}) }, select: { homeScreen: true } });
    return row?.homeScreen ?? null;
  }

  /**
   * Writes the string and answers the user's domain and usable apps, in one statement (one round trip, one commit):
   * issue 23, a push waits for this before its event goes out (it was the update and three reads beside it).
   * The apps are those of the one rule (usableAppIdsSql, user-apps.repository.ts).
   * Null when the user does not exist (in `domain`, when given): nothing is written.
   */
  async saveRaw(userId: string, raw: string, domain?: string): Promise<SavedHomeScreen | null> {
    const [row] = await this.prisma.$queryRaw<SavedHomeScreen[]>(Prisma.sql`
      WITH saved AS (
        UPDATE "directory"."User" SET "homeScreen" = ${raw}, "updatedAt" = now()
        WHERE "id" = ${userId}::uuid ${domain ? Prisma.sql`AND "domain" = ${domain}` : Prisma.empty}
        RETURNING "id", "domain"
      )
      SELECT s."domain", ${usableAppIdsSql('s')} AS "usableAppIds"
      FROM saved s`);
    return row ?? null;
  }
}
