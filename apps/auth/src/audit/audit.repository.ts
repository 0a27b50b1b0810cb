import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { AuditEvent } from '@gatehouse/db';
import { AUDIT_RETENTION_DEFAULT_DAYS, AuditEntry, AuditSettings } from '@gatehouse/contracts';

export interface AuditRecord {
  type: 'login' | 'lockout' | 'external_user.deleted' | 'approval' | 'password_reset' | 'admin.change' | 'passkey' | 'operator';
  outcome:
    | 'success'
    | 'failure'
    | 'throttled'
    | 'locked'
    | 'done'
    | 'requested'
    | 'approved'
    | 'rejected'
    | 'wrong_code'
    | 'changed'
    | 'cancelled'
    | 'unavailable'
    | 'refused'
    | 'registered'
    | 'removed'
    | 'cloned';
  userId?: string | null;
  login?: string;
  ip?: string;
  /** The domain the row belongs to; unset: the user's (looked up), null: installation-wide. */
  domain?: string | null;
  details?: Record<string, unknown>;
  at: Date;
}

/** What a list of audit rows is narrowed to; `domain` is already the caller's scope. */
export interface AuditFilter {
  domain?: string;
  userId?: string;
  login?: string;
  type?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
}

const SETTINGS_ID = 1;
/** Rows deleted per statement, so a first sweep over years of rows never holds one long lock. */
const SWEEP_BATCH = 5000;

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async add(record: AuditRecord & { domain: string | null }): Promise<AuditEntry> {
    const row = await this.prisma.auditEvent.create({
      data: {
        type: record.type,
        outcome: record.outcome,
        userId: record.userId ?? null,
        login: record.login ?? null,
        ip: record.ip ?? null,
        domain: record.domain,
        details: (record.details ?? undefined) as Prisma.InputJsonValue | undefined,
        createdAt: record.at,
      },
    });
    return toEntry(row);
  }

  async list(filter: AuditFilter, offset: number, limit: number): Promise<{ items: AuditEntry[]; total: number }> {
    const where: Prisma.AuditEventWhereInput = {
      ...(filter.domain ? { domain: filter.domain } : {}),
      ...(filter.userId ? { userId: filter.userId } : {}),
      ...(filter.login ? { login: { equals: filter.login, mode: 'insensitive' } } : {}),
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.outcome ? { outcome: filter.outcome } : {}),
      ...(filter.from || filter.to
        ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
        : {}),
    };
    const [rows, total] = await this.prisma.$transaction([
      this.prisma.auditEvent.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: offset, take: limit }),
      this.prisma.auditEvent.count({ where }),
    ]);
    return { items: rows.map(toEntry), total };
  }

  /** Deletes rows older than `before`, in batches; returns how many went. */
  async deleteBefore(before: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.prisma
        .$executeRaw`DELETE FROM "auth"."audit" WHERE "id" IN (SELECT "id" FROM "auth"."audit" WHERE "createdAt" < ${before} LIMIT ${SWEEP_BATCH})`;
      deleted += count;
      if (count < SWEEP_BATCH) return deleted;
    }
  }

  async settings(): Promise<AuditSettings> {
    const row = await this.prisma.auditSettings.findUnique({ where: { id: SETTINGS_ID } });
    return { retentionDays: row?.retentionDays ?? AUDIT_RETENTION_DEFAULT_DAYS };
  }

  async saveSettings(settings: AuditSettings): Promise<AuditSettings> {
    const row = await this.prisma.auditSettings.upsert({
      where: { id: SETTINGS_ID },
      create: { id: SETTINGS_ID, retentionDays: settings.retentionDays },
      update: { retentionDays: settings.retentionDays },
    });
    return { retentionDays: row.retentionDays };
  }
}

function toEntry(row: AuditEvent): AuditEntry {
  return {
    id: row.id,
    type: row.type,
    outcome: row.outcome,
    userId: row.userId,
    login: row.login,
    ip: row.ip,
    domain: row.domain,
    details: (row.details ?? null) as Record<string, unknown> | null,
    at: row.createdAt.toISOString(),
  };
}
