import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { User as UserRow } from '@gatehouse/db';
import { isUniqueViolation, rethrowDeletedMeanwhile } from '../prisma-errors';

export type { UserRow };

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

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findById(userId: string): Promise<UserRow | null> {
    return this.prisma.user.findUnique({ where: { id: userId } });
  }

  findByName(domain: string, username: string): Promise<UserRow | null> {
    return this.prisma.user.findFirst({ where: { domain, username: { equals: username, mode: 'insensitive' } } });
  }

  /** Emails are not unique across domains; a login by email must name exactly one user. */
  findByEmail(email: string): Promise<UserRow[]> {
    return this.prisma.user.findMany({ where: { email: { equals: email, mode: 'insensitive' } }, take: 2 });
  }

  findDetails(domain: string, userId: string): Promise<UserDetailsRow | null> {
    return this.prisma.user.findFirst({ where: { id: userId, domain }, include: detailsInclude });
  }

  async list(domain: string, offset: number, limit: number, q?: string): Promise<{ rows: UserDetailsRow[]; total: number }> {
    const contains = (value: string) => ({ contains: value, mode: 'insensitive' as const });
    const where: Prisma.UserWhereInput = {
      domain,
      ...(q ? { OR: [{ username: contains(q) }, { displayName: contains(q) }, { email: contains(q) }] } : {}),
    };
    // Not one transaction: Prisma loads included relations in parallel, which pg refuses inside one (deprecated).
    const [rows, total] = await Promise.all([
      this.prisma.user.findMany({ where, include: detailsInclude, orderBy: { username: 'asc' }, skip: offset, take: limit }),
      this.prisma.user.count({ where }),
    ]);
    return { rows, total };
  }

  /** Finds the rows behind template names and app ids of one domain; `missing` lists what is not there. */
  async resolveGrants(
    domain: string,
    grants: { templates?: string[]; apps?: string[]; devices?: { device: string; app: string }[] },
  ): Promise<{ ids: GrantIds; missing: UnresolvedGrants }> {
    const templateNames = [...new Set(grants.templates ?? [])];
    const appIds = [...new Set([...(grants.apps ?? []), ...(grants.devices ?? []).map((d) => d.app)])];
    const [templates, apps] = await Promise.all([
      templateNames.length ? this.prisma.template.findMany({ where: { domain, name: { in: templateNames } }, select: { id: true, name: true } }) : [],
      appIds.length ? this.prisma.app.findMany({ where: { domain, appId: { in: appIds } }, select: { id: true, appId: true, deviceApp: true } }) : [],
    ]);
    const templateByName = new Map(templates.map((t) => [t.name, t.id]));
    const appById = new Map(apps.map((a) => [a.appId, a]));
    const devices = grants.devices ? uniqueDevices(grants.devices) : undefined;
    return {
      ids: {
        ...(grants.templates ? { templateIds: templateNames.flatMap((name) => templateByName.get(name) ?? []) } : {}),
        ...(grants.apps ? { appIds: [...new Set(grants.apps)].flatMap((id) => appById.get(id)?.id ?? []) } : {}),
        ...(devices ? { devices: devices.flatMap((d) => (appById.has(d.app) ? [{ device: d.device, appId: appById.get(d.app)!.id }] : [])) } : {}),
      },
      missing: {
        templates: templateNames.filter((name) => !templateByName.has(name)),
        apps: appIds.filter((id) => !appById.has(id)),
        notDeviceApps: [...new Set((devices ?? []).map((d) => d.app))].filter((id) => appById.has(id) && !appById.get(id)!.deviceApp),
      },
    };
  }

  /** Returns null when the name is taken in that domain. */
  async create(user: NewUser, grants: GrantIds = {}): Promise<UserRow | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const row = await tx.user.create({ data: user });
        await writeGrants(tx, row.id, grants);
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      return rethrowDeletedMeanwhile(error);
    }
  }

  /** Profile and permission changes in one transaction; null when the user is not in that domain. */
  async update(domain: string, userId: string, profile: ProfileChange, grants: GrantIds): Promise<UserRow | null> {
    return this.prisma
      .$transaction(async (tx) => {
        const { count } = await tx.user.updateMany({ where: { id: userId, domain }, data: profile });
        if (count !== 1) return null;
        await writeGrants(tx, userId, grants);
        return tx.user.findUnique({ where: { id: userId } });
      })
      .catch(rethrowDeletedMeanwhile);
  }

  /** Returns the deleted row, or null when there was none. */
  async delete(userId: string): Promise<UserRow | null> {
    const rows = await this.prisma.user.findMany({ where: { id: userId }, take: 1 });
    if (rows.length === 0) return null;
    const { count } = await this.prisma.user.deleteMany({ where: { id: userId } });
    return count === 1 ? rows[0] : null;
  }
}

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
