import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { MailLog } from '@gatehouse/db';

@Injectable()
export class MailLogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Records the key (first time only) and returns the row as it is now. */
  async begin(entry: { idempotencyKey: string; kind: string; recipient: string; language: string; now: Date }): Promise<MailLog> {
    const { idempotencyKey, kind, recipient, language, now } = entry;
    await this.prisma.mailLog.upsert({
      where: { idempotencyKey },
      create: { idempotencyKey, kind, recipient, language, status: 'pending', createdAt: now },
      update: {},
    });
    return this.prisma.mailLog.update({ where: { idempotencyKey }, data: { status: 'sending', attempts: { increment: 1 } } });
  }

  markSent(idempotencyKey: string, smtpResponse: string, now: Date): Promise<MailLog> {
    return this.prisma.mailLog.update({ where: { idempotencyKey }, data: { status: 'sent', smtpResponse, sentAt: now, lastError: null } });
  }

  markFailed(idempotencyKey: string, lastError: string): Promise<MailLog> {
    return this.prisma.mailLog.update({ where: { idempotencyKey }, data: { status: 'failed', lastError } });
  }

  find(idempotencyKey: string): Promise<MailLog | null> {
    return this.prisma.mailLog.findUnique({ where: { idempotencyKey } });
  }
}
