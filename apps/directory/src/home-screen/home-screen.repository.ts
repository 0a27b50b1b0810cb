import { Injectable } from '@nestjs/common';
import { PrismaClient, queryPrepared, type PreparedStatement } from '@gatehouse/db';
import { usableAppIdsSql } from '../user-apps/user-apps.repository';

/** What a saved home screen needs for its `homescreen.changed` event. */
export interface SavedHomeScreen {
  domain: string;
  /** The app ids the user may run now (UserAppsRepository.usable's apps), to filter what the sockets are shown. */
  usableAppIds: string[];
}

/**
 * saveRaw's statement ($1 user id, $2 the string, $3 the domain for a domain admin), prepared once per connection:
 * issue 23, Prisma's raw query was planned anew and interpreted for every write, ahead of the event.
 */
function saveStatement(name: string, inDomain: boolean): PreparedStatement {
  const usableAppIds = usableAppIdsSql('s');
  // Its text goes into the statement as is: a value of its own would take a placeholder number of ours.
  if (usableAppIds.values.length) throw new Error('usableAppIdsSql must stay without parameters to be prepared here');
  return {
    name,
    text: `WITH saved AS (
        UPDATE "directory"."User" SET "homeScreen" = $2, "updatedAt" = now()
        WHERE "id" = $1::uuid${inDomain ? ' AND "domain" = $3' : ''}
        RETURNING "id", "domain"
      )
      SELECT s."domain", ${usableAppIds.text} AS "usableAppIds"
      FROM saved s`,
  };
}

const SAVE_STATEMENTS = {
  any: saveStatement('directory.home-screen.save', false),
  inDomain: saveStatement('directory.home-screen.save-in-domain', true),
};

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
    const [row] = domain
      ? await queryPrepared<SavedHomeScreen>(this.prisma, SAVE_STATEMENTS.inDomain, [userId, raw, domain])
      : await queryPrepared<SavedHomeScreen>(this.prisma, SAVE_STATEMENTS.any, [userId, raw]);
    return row ?? null;
  }
}
