import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import { isUniqueViolation, rethrowDeletedMeanwhile } from '../prisma-errors';

const include = { appGrants: { select: { app: { select: { appId: true } } } } } satisfies Prisma.TemplateInclude;
export type TemplateRow = Prisma.TemplateGetPayload<{ include: typeof include }>;

@Injectable()
export class TemplatesRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Row ids of these app ids in the domain; ids not found are left out. */
  async appRows(domain: string, appIds: string[]): Promise<Map<string, string>> {
    if (appIds.length === 0) return new Map();
    const rows = await this.prisma.app.findMany({ where: { domain, appId: { in: appIds } }, select: { id: true, appId: true } });
    return new Map(rows.map((row) => [row.appId, row.id]));
  }

  /** Null when the name is taken in that domain. */
  async create(domain: string, name: string, appRowIds: string[]): Promise<TemplateRow | null> {
    try {
      return await this.prisma.template.create({
        data: { domain, name, appGrants: { createMany: { data: appRowIds.map((appId) => ({ appId })) } } },
        include,
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      return rethrowDeletedMeanwhile(error);
    }
  }

  find(domain: string, templateId: string): Promise<TemplateRow | null> {
    return this.prisma.template.findFirst({ where: { id: templateId, domain }, include });
  }

  async list(domain: string, offset: number, limit: number): Promise<{ rows: TemplateRow[]; total: number }> {
    // Not one transaction: Prisma loads included relations in parallel, which pg refuses inside one (deprecated).
    const [rows, total] = await Promise.all([
      this.prisma.template.findMany({ where: { domain }, include, orderBy: { name: 'asc' }, skip: offset, take: limit }),
      this.prisma.template.count({ where: { domain } }),
    ]);
    return { rows, total };
  }

  /** 'missing' when there is no such template, 'taken' when the new name is used by another. */
  async update(
    domain: string,
    templateId: string,
    change: { name?: string; appRowIds?: string[] },
  ): Promise<TemplateRow | 'missing' | 'taken'> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const { count } = await tx.template.updateMany({
          where: { id: templateId, domain },
          data: change.name !== undefined ? { name: change.name } : {},
        });
        if (count !== 1) return 'missing' as const;
        if (change.appRowIds) {
          await tx.templateAppGrant.deleteMany({ where: { templateId } });
          await tx.templateAppGrant.createMany({ data: change.appRowIds.map((appId) => ({ templateId, appId })) });
        }
        return (await tx.template.findUnique({ where: { id: templateId }, include }))!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'taken';
      return rethrowDeletedMeanwhile(error);
    }
  }

  async delete(domain: string, templateId: string): Promise<boolean> {
    const { count } = await this.prisma.template.deleteMany({ where: { id: templateId, domain } });
    return count === 1;
  }

  async members(templateId: string): Promise<string[]> {
    const rows = await this.prisma.userTemplate.findMany({ where: { templateId }, select: { userId: true } });
    return rows.map((row) => row.userId);
  }
}
