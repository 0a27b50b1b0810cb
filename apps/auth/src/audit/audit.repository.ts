import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';

export interface AuditRecord {
  type: 'login' | 'lockout' | 'external_user.deleted' | 'approval' | 'password_reset';
  outcome: 'success' | 'failure' | 'throttled' | 'locked' | 'done' | 'requested' | 'approved' | 'rejected' | 'wrong_code' | 'changed' | 'cancelled';
  userId?: string | null;
  login?: string;
  ip?: string;
  details?: Record<string, unknown>;
  at: Date;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async add(record: AuditRecord): Promise<void> {
    await this.prisma.auditEvent.create({
      data: {
        type: record.type,
        outcome: record.outcome,
        userId: record.userId ?? null,
        login: record.login ?? null,
        ip: record.ip ?? null,
        details: (record.details ?? undefined) as Prisma.InputJsonValue | undefined,
        createdAt: record.at,
      },
    });
  }
}
