import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@gatehouse/db';
import type { MailLog } from '@gatehouse/db';

@Injectable()
export class MailLogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Records the key (first time only) and counts the attempt, in one statement: false when the mail was
   * already sent (a retry or a duplicate job), true when this attempt may send it.
   */
  async begin(entry: { idempotencyKey: string; kind: string; recipient: string; language: string; now: Date }): Promise<boolean> {
    const { idempotencyKey, kind, recipient, language, now } = entry;
    const rows = await this.prisma.$queryRaw<{ status: string }[]>`
      INSERT INTO "mailer"."MailLog" ("idempotencyKey", "kind", "recipient", "language", "status", "attempts", "createdAt")
      VALUES (${idempotencyKey}, ${kind}, ${recipient}, ${language}, 'sending', 1, ${now})
      ON CONFLICT ("idempotencyKey") DO UPDATE SET "status" = 'sending', "attempts" = "MailLog"."attempts" + 1
      WHERE "MailLog"."status" <> 'sent'
      RETURNING "status"`;
    return rows.length === 1;
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
