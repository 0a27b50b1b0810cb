import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { AccessToken as AccessTokenRow, Session as SessionRow } from '@gatehouse/db';

export type { AccessTokenRow, SessionRow };
export type NewSession = Omit<SessionRow, 'id'>;
export type UserSnapshot = Pick<SessionRow, 'domain' | 'username' | 'admin' | 'external'>;
export interface EndedSession {
  id: string;
  userId: string;
  external: boolean;
  tokenHashes: string[];
}

/** What the session list shows of a row (not the password hash nor the user's snapshot). */
export type SessionListRow = Pick<
  SessionRow,
  'id' | 'deviceName' | 'devicePlatform' | 'application' | 'subid' | 'ip' | 'createdAt' | 'lastUsedAt' | 'expiresAt'
>;

@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Session and its first token in one transaction: a failed write leaves no half-made session. */
  async createWithToken(session: NewSession, token: { tokenHash: string; expiresAt: Date }): Promise<SessionRow> {
    // One statement, atomic by itself (Prisma's nested create is a transaction of several round trips): every login pays for it.
    const s = session;
    const [row] = await this.prisma.$queryRaw<SessionRow[]>`
      WITH created AS (
        INSERT INTO sessions."Session"
          ("id", "userId", "domain", "username", "admin", "external", "passwordHash", "deviceName", "devicePlatform",
           "application", "subid", "ip", "createdAt", "lastUsedAt", "expiresAt")
        VALUES (${randomUUID()}::uuid, ${s.userId}::uuid, ${s.domain}, ${s.username}, ${s.admin}, ${s.external}, ${s.passwordHash},
          ${s.deviceName}, ${s.devicePlatform}, ${s.application}, ${s.subid}, ${s.ip}, ${s.createdAt}, ${s.lastUsedAt}, ${s.expiresAt})
        RETURNING *
      ), token AS (
        INSERT INTO sessions."AccessToken" ("tokenHash", "sessionId", "createdAt", "expiresAt")
        SELECT ${token.tokenHash}, created."id", ${s.createdAt}, ${token.expiresAt} FROM created
      )
      SELECT * FROM created`;
    return row;
  }

  findById(sessionId: string): Promise<SessionRow | null> {
    return this.prisma.session.findUnique({ where: { id: sessionId } });
  }

  addToken(sessionId: string, token: { tokenHash: string; createdAt: Date; expiresAt: Date }): Promise<AccessTokenRow> {
    return this.prisma.accessToken.create({ data: { sessionId, ...token } });
  }

  findToken(tokenHash: string): Promise<(AccessTokenRow & { session: SessionRow }) | null> {
    return this.prisma.accessToken.findUnique({ where: { tokenHash }, include: { session: true } });
  }

  /** Marks use; returns false when the session is gone or already over. */
  async markUsed(sessionId: string, now: Date, expiresAt: Date, user?: UserSnapshot): Promise<boolean> {
    const { count } = await this.prisma.session.updateMany({
      where: { id: sessionId, expiresAt: { gt: now } },
      data: { lastUsedAt: now, expiresAt, ...user },
    });
    return count === 1;
  }

  /**
   * `domain` given: only sessions of a user of that domain (an administrator's scope). The columns a SessionView shows,
   * in SQL: findMany of the same rows spent a third more CPU in Prisma's client (50 sessions, issue 23's bench:admin).
   */
  listLive(userId: string, now: Date, domain?: string): Promise<SessionListRow[]> {
    return this.prisma.$queryRaw<SessionListRow[]>(Prisma.sql`
      SELECT "id", "deviceName", "devicePlatform", "application", "subid", "ip", "createdAt", "lastUsedAt", "expiresAt"
      FROM "sessions"."Session"
      WHERE "userId" = ${userId}::uuid AND "expiresAt" > ${now}${domain === undefined ? Prisma.empty : Prisma.sql` AND "domain" = ${domain}`}
      ORDER BY "createdAt" DESC`);
  }

  tokenHashesOf(userId: string, sessionId: string, domain?: string): Promise<string[]> {
    return this.prisma.accessToken
      .findMany({ where: { sessionId, session: { userId, ...inDomain(domain) } }, select: { tokenHash: true } })
      .then((rows) => rows.map((row) => row.tokenHash));
  }

  /** The hashes of every token of every session of the user. */
  tokenHashesOfUser(userId: string): Promise<string[]> {
    return this.prisma.accessToken
      .findMany({ where: { session: { userId } }, select: { tokenHash: true } })
      .then((rows) => rows.map((row) => row.tokenHash));
  }

  /** Every session of the user carries the user as they are now. */
  async updateUserOf(userId: string, user: UserSnapshot): Promise<void> {
    await this.prisma.session.updateMany({ where: { userId }, data: user });
  }

  /** Deletes one of the user's sessions (its tokens go with it); null when it was not theirs. */
  /** The ended session and its user's domain, or null when there was none (in `domain`, when given). */
  async delete(userId: string, sessionId: string, domain?: string): Promise<(EndedSession & { domain: string }) | null> {
    return this.prisma.$transaction(async (tx) => {
      const session = await tx.session.findFirst({
        where: { id: sessionId, userId, ...inDomain(domain) },
        include: { tokens: { select: { tokenHash: true } } },
      });
      if (!session) return null;
      await tx.session.delete({ where: { id: sessionId } });
      const tokenHashes = session.tokens.map((t) => t.tokenHash);
      return { id: session.id, userId: session.userId, domain: session.domain, external: session.external, tokenHashes };
    });
  }

  async deleteAllOf(userId: string): Promise<EndedSession[]> {
    return this.prisma.$transaction(async (tx) => {
      const sessions = await tx.session.findMany({ where: { userId }, include: { tokens: { select: { tokenHash: true } } } });
      await tx.session.deleteMany({ where: { userId } });
      return sessions.map((s) => ({ id: s.id, userId: s.userId, external: s.external, tokenHashes: s.tokens.map((t) => t.tokenHash) }));
    });
  }

  /**
   * Ends up to `limit` expired sessions in one statement (no interactive transaction: under load one
   * outlived its time limit and stopped the sweep). The CTEs share one snapshot, so the access tokens are
   * read before the cascade deletes them; SKIP LOCKED keeps overlapping sweeps from ending one twice. The
   * rows locked are deleted by their ctid, without a second lookup by key (a fifth of the statement's CPU);
   * a row changed by another transaction since the statement began is then not deleted, nor returned, and
   * the next sweep takes it.
   */
  async deleteExpiredBatch(now: Date, limit: number): Promise<EndedSession[]> {
    return this.prisma.$queryRaw<EndedSession[]>`
      WITH gone AS (
        DELETE FROM "sessions"."Session"
        WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM "sessions"."Session"
          WHERE "expiresAt" <= ${now} ORDER BY "expiresAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ))
        RETURNING "id", "userId", "external"
      )
      SELECT gone."id", gone."userId", gone."external",
        COALESCE(ARRAY_AGG(t."tokenHash") FILTER (WHERE t."tokenHash" IS NOT NULL), ARRAY[]::text[]) AS "tokenHashes"
      FROM gone LEFT JOIN "sessions"."AccessToken" AS t ON t."sessionId" = gone."id"
      GROUP BY gone."id", gone."userId", gone."external"`;
  }

  deleteExpiredTokens(now: Date): Promise<number> {
    return this.prisma.accessToken.deleteMany({ where: { expiresAt: { lte: now } } }).then((r) => r.count);
  }
}

const inDomain = (domain: string | undefined) => (domain === undefined ? {} : { domain });
