import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { PrismaClient } from '@gatehouse/db';
import type { MailLog } from '@gatehouse/db';
import { MailerConfig } from '../config';
import { MAILER_CONFIG } from '../tokens';
import { TickBatch } from './tick-batch';

export interface MailLogEntry {
  idempotencyKey: string;
  kind: string;
  recipient: string;
  language: string;
  now: Date;
}

interface SentEntry {
  idempotencyKey: string;
  smtpResponse: string;
  now: Date;
}

/** The mail log's own connections: the starts of one turn and the finishes of another can be written at once. */
const MAIL_LOG_CONNECTIONS = 2;

/**
 * The mail log. The mails a worker starts in the same turn of the event loop are recorded with one
 * statement, and those it finishes in one turn are marked sent with one, as prepared statements over
 * a small pg pool of the mailer's own: a statement per mail through Prisma cost the services more CPU
 * than nodemailer's SMTP transaction (bench/mail.ts). Rare writes (a failure, a lookup) use Prisma.
 */
@Injectable()
export class MailLogRepository implements OnModuleDestroy {
  private readonly pool: Pool;
  private readonly begins = new TickBatch<MailLogEntry, boolean>((entries) => this.beginAll(entries));
  private readonly sents = new TickBatch<SentEntry, void>((entries) => this.markAllSent(entries));

  constructor(
    private readonly prisma: PrismaClient,
    @Inject(MAILER_CONFIG) config: MailerConfig,
  ) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: MAIL_LOG_CONNECTIONS, connectionTimeoutMillis: 10_000 });
    // A connection lost while idle (PostgreSQL restarted) leaves the pool; the next write opens another.
    // A write that fails fails its mails' attempts, which BullMQ retries.
    this.pool.on('error', () => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Records the key (first time only) and counts the attempt, in one statement: false when the mail was
   * already sent (a retry or a duplicate job), true when this attempt may send it.
   */
  begin(entry: MailLogEntry): Promise<boolean> {
    return this.begins.add(entry);
  }

  /** The beginnings of one tick in one statement; a key twice in the batch: only its first entry may send. */
  private async beginAll(entries: MailLogEntry[]): Promise<boolean[]> {
    const firsts = new Map<string, MailLogEntry>();
    for (const e of entries) if (!firsts.has(e.idempotencyKey)) firsts.set(e.idempotencyKey, e);
    const unique = [...firsts.values()];
    const { rows } = await this.pool.query<{ idempotencyKey: string }>({
      name: 'mailer.mail-log.begin',
      text: `INSERT INTO "mailer"."MailLog" ("idempotencyKey", "kind", "recipient", "language", "status", "attempts", "createdAt")
      SELECT k, kd, r, l, 'sending', 1, t
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS v(k, kd, r, l, t)
      ON CONFLICT ("idempotencyKey") DO UPDATE SET "status" = 'sending', "attempts" = "MailLog"."attempts" + 1
      WHERE "MailLog"."status" <> 'sent'
      RETURNING "idempotencyKey"`,
      values: [
        unique.map((e) => e.idempotencyKey),
        unique.map((e) => e.kind),
        unique.map((e) => e.recipient),
        unique.map((e) => e.language),
        unique.map((e) => e.now),
      ],
    });
    const mayStart = new Set(rows.map((row) => row.idempotencyKey));
    // the first entry of each key gets the answer, a later one in the same batch is a duplicate
    return entries.map((e) => mayStart.delete(e.idempotencyKey));
  }

  markSent(idempotencyKey: string, smtpResponse: string, now: Date): Promise<void> {
    return this.sents.add({ idempotencyKey, smtpResponse, now });
  }

  private async markAllSent(entries: SentEntry[]): Promise<void[]> {
    await this.pool.query({
      name: 'mailer.mail-log.sent',
      text: `UPDATE "mailer"."MailLog" AS m SET "status" = 'sent', "smtpResponse" = v.r, "sentAt" = v.t, "lastError" = NULL
      FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS v(k, r, t)
      WHERE m."idempotencyKey" = v.k`,
      values: [entries.map((e) => e.idempotencyKey), entries.map((e) => e.smtpResponse), entries.map((e) => e.now)],
    });
    return entries.map(() => undefined);
  }

  async markFailed(idempotencyKey: string, lastError: string): Promise<void> {
    await this.prisma
      .$executeRaw`UPDATE "mailer"."MailLog" SET "status" = 'failed', "lastError" = ${lastError} WHERE "idempotencyKey" = ${idempotencyKey}`;
  }

  find(idempotencyKey: string): Promise<MailLog | null> {
    return this.prisma.mailLog.findUnique({ where: { idempotencyKey } });
  }
}
