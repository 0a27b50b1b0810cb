import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient, queryPrepared, type PreparedStatement } from '@gatehouse/db';
import type { User as UserRow } from '@gatehouse/db';
import { isUniqueViolation, rethrowDeletedMeanwhile } from '../prisma-errors';

export type { UserRow };

/** What a unique index refused: a name already in the domain (any case), or an email held anywhere. */
export interface Taken {
  taken: 'username' | 'email';
}

export const isTaken = (value: object | null): value is Taken => value !== null && 'taken' in value;

/** The login-by-name query, exported so a test can EXPLAIN it: an equality on the indexed key. */
export const userByNameSql = (domain: string, username: string): Prisma.Sql =>
  Prisma.sql`SELECT * FROM "directory"."User" WHERE "domain" = ${domain} AND "usernameKey" = lower(${username}) LIMIT 1`;

export const userByEmailSql = (email: string): Prisma.Sql =>
  Prisma.sql`SELECT * FROM "directory"."User" WHERE "emailKey" = lower(${email}) LIMIT 1`;

export interface NewUser {
  domain: string;
  username: string;
  email?: string;
  displayName?: string;
  language?: string;
  admin?: boolean;
  external?: boolean;
}

export interface ProfileChange {
  email?: string | null;
  displayName?: string;
  language?: string;
  admin?: boolean;
}

/** Permissions by row id, as resolveGrants found them; a list left undefined is not changed. */
export interface GrantIds {
  templateIds?: string[];
  appIds?: string[];
  devices?: { device: string; appId: string }[];
}

/** What resolveGrants could not find in the domain, or found but cannot assign to a device. */
export interface UnresolvedGrants {
  templates: string[];
  apps: string[];
  notDeviceApps: string[];
}

const detailsInclude = {
  templates: { select: { template: { select: { name: true } } } },
  appGrants: { select: { app: { select: { appId: true } } } },
  deviceAppsUsed: { select: { device: true, app: { select: { appId: true } } } },
} satisfies Prisma.UserInclude;

export type UserDetailsRow = Prisma.UserGetPayload<{ include: typeof detailsInclude }>;

/** The columns of a user that toUser shows. */
export type UserProfileRow = Pick<
  UserRow,
  'id' | 'domain' | 'username' | 'email' | 'displayName' | 'language' | 'admin' | 'external' | 'createdAt'
>;
/**
 * A row of the admin list: the profile and the permissions as UserDetails lists them (not yet sorted), not the home
 * screen (up to 8 KB a user) nor the keys.
 */
export type UserListRow = Omit<UserProfileRow, 'createdAt'> & {
  /** In UTC as PostgreSQL writes a timestamp (`2026-12-06 12:34:56.7`): the mapper's ISO string without a Date between. */
  createdAt: string;
  templates: string[];
  apps: string[];
  devices: { device: string; app: string }[];
};

/** A row of the list's statements: the total on every row (null when the domain never had a user). */
type ListedRow = UserListRow & { listTotal: number | null };

/**
 * UserListRow's profile columns of `u`, for the list's statements. The creation time as text in UTC: the driver's parse
 * of a timestamp into a Date and the mapper's toISOString() were 7 % of the services' CPU per page (issue 23), and
 * `AT TIME ZONE 'UTC'` makes the text independent of the session's time zone at no measurable cost to PostgreSQL.
 */
const PROFILE_COLUMNS = `u."id", u."domain", u."username", u."email", u."displayName", u."language", u."admin", u."external",
  (u."createdAt" AT TIME ZONE 'UTC')::text AS "createdAt"`;

/**
 * The list's permissions in SQL: the page's template names, app ids and device apps, each list gathered for the whole
 * page at once (a subquery per user and list cost 150 subplan runs per page, each template one a scan of the
 * templates), as JSON arrays of UserDetails' own shape (flat arrays: fewer objects for the driver to parse and the
 * mapper to copy than Prisma's include shape). Follows a `page` CTE of ids; GRANTS_COLUMNS and GRANTS_JOINS use them.
 */
const GRANTS_CTES = `
  templates AS (
    SELECT ut."userId", json_agg(t."name") AS "list" FROM page p
    JOIN "directory"."UserTemplate" ut ON ut."userId" = p."id" JOIN "directory"."Template" t ON t."id" = ut."templateId"
    GROUP BY ut."userId"),
  apps AS (
    SELECT g."userId", json_agg(a."appId") AS "list" FROM page p
    JOIN "directory"."UserAppGrant" g ON g."userId" = p."id" JOIN "directory"."App" a ON a."id" = g."appId"
    GROUP BY g."userId"),
  devices AS (
    SELECT d."userId", json_agg(json_build_object('device', d."device", 'app', a."appId")) AS "list" FROM page p
    JOIN "directory"."DeviceAssignment" d ON d."userId" = p."id" JOIN "directory"."App" a ON a."id" = d."appId"
    GROUP BY d."userId")`;
const GRANTS_COLUMNS = `COALESCE(templates."list", '[]'::json) AS "templates", COALESCE(apps."list", '[]'::json) AS "apps",
  COALESCE(devices."list", '[]'::json) AS "devices"`;
const GRANTS_JOINS = `LEFT JOIN templates ON templates."userId" = p."id" LEFT JOIN apps ON apps."userId" = p."id"
  LEFT JOIN devices ON devices."userId" = p."id"`;

/**
 * A search's statements: the users with a key in the prefix's range (prefixRange), [$2, $3) or, with no upper
 * bound, from $2 on; LIMIT and OFFSET are the two parameters after the range.
 */
function searchStatements(bounded: boolean) {
  const inRange = (key: string) => (bounded ? `(u."${key}" >= $2 AND u."${key}" < $3)` : `u."${key}" >= $2`);
  const match = `u."domain" = $1 AND (${inRange('usernameKey')} OR ${inRange('displayNameKey')} OR ${inRange('emailKey')})`;
  const [limit, offset] = bounded ? ['$4', '$5'] : ['$3', '$4'];
  const name = bounded ? 'directory.user-list.search' : 'directory.user-list.search-from';
  return {
    page: {
      name,
      text: `WITH matches AS MATERIALIZED (
          SELECT u."id", u."username" FROM "directory"."User" u WHERE ${match}
        ), page AS (
          SELECT m."id", m."username", count(*) OVER ()::int AS "listTotal" FROM matches m ORDER BY m."username" ASC
          LIMIT ${limit} OFFSET ${offset}
        ), ${GRANTS_CTES}
        SELECT ${PROFILE_COLUMNS}, ${GRANTS_COLUMNS}, p."listTotal"
        FROM page p JOIN "directory"."User" u ON u."id" = p."id" ${GRANTS_JOINS} ORDER BY p."username" ASC`,
    },
    total: { name: `${name}.total`, text: `SELECT count(*)::int AS "total" FROM "directory"."User" u WHERE ${match}` },
  } satisfies Record<string, PreparedStatement>;
}

/**
 * The admin list's statements (issue 23: bench/admin.ts), prepared once per connection. Their generic plans are
 * the custom ones: the prefix is a range of parameters (a LIKE's pattern would have to be known to use an index), and
 * LIMIT and OFFSET change no plan here.
 * - page ($1 domain, $2 limit, $3 offset): an index-only scan of (domain, username, id), whose offset skips index
 *   entries, not rows; the permissions only for the page's rows; the total kept by the database (DomainUserCount).
 * - search: the matches through the three (domain, key) indexes in a BitmapOr (the keys are COLLATE "C" columns, so
 *   byte order is the ranges' order), then sorted and counted in one pass. Materialized, because for a broad prefix
 *   the planner would rather walk the whole (domain, username) index in order and filter, tens of thousands of rows
 *   for 'gr'.
 */
export const LIST_STATEMENTS = {
  page: {
    name: 'directory.user-list.page',
    text: `WITH page AS (
        SELECT "id", "username" FROM "directory"."User" WHERE "domain" = $1 ORDER BY "username" ASC LIMIT $2 OFFSET $3
      ), ${GRANTS_CTES}
      SELECT ${PROFILE_COLUMNS}, ${GRANTS_COLUMNS},
        (SELECT c."users" FROM "directory"."DomainUserCount" c WHERE c."domain" = $1) AS "listTotal"
      FROM page p JOIN "directory"."User" u ON u."id" = p."id" ${GRANTS_JOINS} ORDER BY p."username" ASC`,
  },
  domainTotal: {
    name: 'directory.user-list.domain-total',
    text: `SELECT c."users" AS "total" FROM "directory"."DomainUserCount" c WHERE c."domain" = $1`,
  },
  search: searchStatements(true),
  searchFrom: searchStatements(false),
} as const;

/**
 * The keys that start with `prefix`, as a range in code point order (the byte order of UTF-8, which the COLLATE "C"
 * keys sort in): from the prefix up to, not including, the prefix with its last code point raised by one (past the
 * surrogates; trailing U+10FFFF, the last code point, dropped first). A prefix of U+10FFFF alone has no upper bound,
 * nor needs one: every key from it on starts with it.
 */
export function prefixRange(prefix: string): { from: string; to?: string } {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last === 0x10ffff) continue;
    return { from: prefix, to: points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1) };
  }
  return { from: prefix };
}

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** `domain` given: only a user of that domain is found (an administrator's scope). */
  findById(userId: string, domain?: string): Promise<UserRow | null> {
    return this.prisma.user.findFirst({ where: { id: userId, ...inDomain(domain) } });
  }

  /** Through the unique index on (domain, usernameKey): the database's own lower() on both sides. */
  async findByName(domain: string, username: string): Promise<UserRow | null> {
    const [row] = await this.prisma.$queryRaw<UserRow[]>(userByNameSql(domain, username));
    return row ?? null;
  }

  /** Emails are unique in the installation whatever their case (the index on emailKey). */
  async findByEmail(email: string): Promise<UserRow | null> {
    const [row] = await this.prisma.$queryRaw<UserRow[]>(userByEmailSql(email));
    return row ?? null;
  }

  /** `domain` given: only a user of that domain is found (an administrator's scope). */
  findDetails(userId: string, domain?: string): Promise<UserDetailsRow | null> {
    return this.prisma.user.findFirst({ where: { id: userId, ...inDomain(domain) }, include: detailsInclude });
  }

  /**
   * One page of the admin list and its total, with each user's templates, apps and device apps, in one prepared
   * statement (LIST_STATEMENTS); a search is by prefix of the name, the display name or the email, ignoring case.
   */
  async list(domain: string, offset: number, limit: number, q?: string): Promise<{ rows: UserListRow[]; total: number }> {
    if (!q) {
      const page = await queryPrepared<ListedRow>(this.prisma, LIST_STATEMENTS.page, [domain, limit, offset]);
      if (page.length > 0) return { rows: page, total: page[0].listTotal ?? 0 };
      // Past the last user (or none): the total alone.
      const [counted] = await queryPrepared<{ total: number }>(this.prisma, LIST_STATEMENTS.domainTotal, [domain]);
      return { rows: [], total: counted?.total ?? 0 };
    }
    const { from, to } = prefixRange(q.toLowerCase());
    const [search, range] = to === undefined ? [LIST_STATEMENTS.searchFrom, [from]] : [LIST_STATEMENTS.search, [from, to]];
    const page = await queryPrepared<ListedRow>(this.prisma, search.page, [domain, ...range, limit, offset]);
    // The rows keep their listTotal column: the mapper reads the fields it shows (no copy of 50 rows without it).
    if (page.length > 0) return { rows: page, total: page[0].listTotal ?? 0 };
    // Past the last match (or none): the count alone.
    const [{ total }] = await queryPrepared<{ total: number }>(this.prisma, search.total, [domain, ...range]);
    return { rows: [], total };
  }

  /** Finds the rows behind template names and app ids of one domain; `missing` lists what is not there. */
  async resolveGrants(
    domain: string,
    grants: { templates?: string[]; apps?: string[]; devices?: { device: string; app: string }[] },
  ): Promise<{ ids: GrantIds; missing: UnresolvedGrants }> {
    const templateNames = [...new Set(grants.templates ?? [])];
    const appIds = [...new Set([...(grants.apps ?? []), ...(grants.devices ?? []).map((d) => d.app)])];
    const [templates, apps] = await Promise.all([
      templateNames.length
        ? this.prisma.template.findMany({ where: { domain, name: { in: templateNames } }, select: { id: true, name: true } })
        : [],
      appIds.length
        ? this.prisma.app.findMany({ where: { domain, appId: { in: appIds } }, select: { id: true, appId: true, deviceApp: true } })
        : [],
    ]);
    const templateByName = new Map(templates.map((t) => [t.name, t.id]));
    const appById = new Map(apps.map((a) => [a.appId, a]));
    const devices = grants.devices ? uniqueDevices(grants.devices) : undefined;
    return {
      ids: {
        ...(grants.templates ? { templateIds: templateNames.flatMap((name) => templateByName.get(name) ?? []) } : {}),
        ...(grants.apps ? { appIds: [...new Set(grants.apps)].flatMap((id) => appById.get(id)?.id ?? []) } : {}),
        ...(devices
          ? { devices: devices.flatMap((d) => (appById.has(d.app) ? [{ device: d.device, appId: appById.get(d.app)!.id }] : [])) }
          : {}),
      },
      missing: {
        templates: templateNames.filter((name) => !templateByName.has(name)),
        apps: appIds.filter((id) => !appById.has(id)),
        notDeviceApps: [...new Set((devices ?? []).map((d) => d.app))].filter((id) => appById.has(id) && !appById.get(id)!.deviceApp),
      },
    };
  }

  /** `taken` when the name (in any case) is in that domain already, or the email anywhere. */
  async create(user: NewUser, grants: GrantIds = {}): Promise<UserRow | Taken> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const row = await tx.user.create({ data: user });
        await writeGrants(tx, row.id, grants);
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { taken: await this.whichTaken(user.email, null) };
      return rethrowDeletedMeanwhile(error);
    }
  }

  /** Profile and permission changes in one transaction; null when the user is not in that domain. */
  async update(domain: string, userId: string, profile: ProfileChange, grants: GrantIds): Promise<UserRow | Taken | null> {
    return this.prisma
      .$transaction(async (tx) => {
        const { count } = await tx.user.updateMany({ where: { id: userId, domain }, data: profile });
        if (count !== 1) return null;
        await writeGrants(tx, userId, grants);
        return tx.user.findUnique({ where: { id: userId } });
      })
      .catch(async (error: unknown) => {
        // Only the email can collide here: the name does not change.
        if (isUniqueViolation(error)) return { taken: 'email' as const };
        return rethrowDeletedMeanwhile(error);
      });
  }

  /** After a unique violation: the email when another user holds it, else the name. */
  private async whichTaken(email: string | null | undefined, userId: string | null): Promise<'email' | 'username'> {
    if (!email) return 'username';
    const holder = await this.findByEmail(email);
    return holder && holder.id !== userId ? 'email' : 'username';
  }

  /** Returns the deleted row, or null when there was none (in `domain`, when given). */
  async delete(userId: string, domain?: string): Promise<UserRow | null> {
    const where = { id: userId, ...inDomain(domain) };
    const rows = await this.prisma.user.findMany({ where, take: 1 });
    if (rows.length === 0) return null;
    const { count } = await this.prisma.user.deleteMany({ where });
    return count === 1 ? rows[0] : null;
  }
}

const inDomain = (domain: string | undefined) => (domain === undefined ? {} : { domain });

/** Replaces each list that is given; leaves the others alone. */
async function writeGrants(tx: Prisma.TransactionClient, userId: string, grants: GrantIds): Promise<void> {
  if (grants.templateIds) {
    await tx.userTemplate.deleteMany({ where: { userId } });
    await tx.userTemplate.createMany({ data: grants.templateIds.map((templateId) => ({ userId, templateId })) });
  }
  if (grants.appIds) {
    await tx.userAppGrant.deleteMany({ where: { userId } });
    await tx.userAppGrant.createMany({ data: grants.appIds.map((appId) => ({ userId, appId })) });
  }
  if (grants.devices) {
    await tx.deviceAssignment.deleteMany({ where: { userId } });
    await tx.deviceAssignment.createMany({ data: grants.devices.map((d) => ({ userId, appId: d.appId, device: d.device })) });
  }
}

function uniqueDevices(devices: { device: string; app: string }[]) {
  const seen = new Set<string>();
  return devices.filter((d) => {
    const key = `${d.app}\n${d.device}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
