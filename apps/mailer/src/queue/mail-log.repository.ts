import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
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

/**
 * Under load, a statement at most this often: a few mails' writes per commit instead of one or two (each
 * statement costs the services a socket write and PostgreSQL a commit), for a few milliseconds more per mail.
 */
const STATEMENT_SPACING_MS = 4;

/** A write waiting for the mail log's next statement: a mail starting, or one sent. */
type LogWrite = { begin: MailLogEntry } | { sent: SentEntry };

/**
 * The mail log. Its hot writes, a mail starting (recorded, its attempt counted) and a mail sent, go to
 * PostgreSQL as one prepared statement over a connection of the mailer's own, one statement at a time:
 * the starts and the finishes that came in while one statement ran (its commit's flush to disk, mostly),
 * or within STATEMENT_SPACING_MS of its start, go together in the next. So a busy worker commits once
 * for several mails rather than twice per mail, and each mail's write is still durable before its
 * attempt goes on (a start before the mail is handed to SMTP, a "sent" before the job is answered). A
 * statement per mail through Prisma cost the services more CPU than nodemailer's SMTP transaction
 * (bench/mail.ts). Rare writes (a failure, a lookup) use Prisma.
 */
@Injectable()
export class MailLogRepository implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly writes = new TickBatch<LogWrite, boolean>((writes) => this.writeAll(writes), 1000, 1, STATEMENT_SPACING_MS);

  constructor(
    private readonly prisma: PrismaClient,
    @Inject(MAILER_CONFIG) config: MailerConfig,
  ) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 1, connectionTimeoutMillis: 10_000 });
    // A connection lost while idle (PostgreSQL restarted) leaves the pool; the next write opens another.
    // A write that fails fails its mails' attempts, which BullMQ retries.
    this.pool.on('error', () => undefined);
  }

  /** After the queue's worker closed (onModuleDestroy): the mails it was finishing still mark themselves sent. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Records the key (first time only) and counts the attempt: false when the mail was already sent (a
   * retry or a duplicate job), true when this attempt may send it.
   */
  begin(entry: MailLogEntry): Promise<boolean> {
    return this.writes.add({ begin: entry });
  }

  async markSent(idempotencyKey: string, smtpResponse: string, now: Date): Promise<void> {
    await this.writes.add({ sent: { idempotencyKey, smtpResponse, now } });
  }

  /**
   * The starts and the finishes gathered meanwhile, in one statement (the UPDATE as a data-modifying CTE,
   * which always runs to completion). A key twice among the starts: only its first may send. A key that
   * starts in the statement that marks it sent (another job of the same key): it may not.
   */
  private async writeAll(writes: LogWrite[]): Promise<boolean[]> {
    const sent = new Map<string, SentEntry>();
    for (const w of writes) if ('sent' in w) sent.set(w.sent.idempotencyKey, w.sent);
    const firsts = new Map<string, MailLogEntry>();
    for (const w of writes) {
      if ('begin' in w && !firsts.has(w.begin.idempotencyKey) && !sent.has(w.begin.idempotencyKey))
        firsts.set(w.begin.idempotencyKey, w.begin);
    }
    const begins = [...firsts.values()];
    const finished = [...sent.values()];
    const { rows } = await this.pool.query<{ idempotencyKey: string }>({
      name: 'mailer.mail-log.write',
      text: `WITH sent AS (
        UPDATE "mailer"."MailLog" AS m SET "status" = 'sent', "smtpResponse" = v.r, "sentAt" = v.t, "lastError" = NULL
        FROM unnest($6::text[], $7::text[], $8::timestamptz[]) AS v(k, r, t)
        WHERE m."idempotencyKey" = v.k
      )
      INSERT INTO "mailer"."MailLog" ("idempotencyKey", "kind", "recipient", "language", "status", "attempts", "createdAt")
      SELECT k, kd, r, l, 'sending', 1, t
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS v(k, kd, r, l, t)
      ON CONFLICT ("idempotencyKey") DO UPDATE SET "status" = 'sending', "attempts" = "MailLog"."attempts" + 1
      WHERE "MailLog"."status" <> 'sent'
      RETURNING "idempotencyKey"`,
      values: [
        begins.map((e) => e.idempotencyKey),
        begins.map((e) => e.kind),
        begins.map((e) => e.recipient),
        begins.map((e) => e.language),
        begins.map((e) => e.now),
        finished.map((e) => e.idempotencyKey),
        finished.map((e) => e.smtpResponse),
        finished.map((e) => e.now),
      ],
    });
    const mayStart = new Set(rows.map((row) => row.idempotencyKey));
    // the first start of each key gets the answer, a later one in the same statement is a duplicate
    return writes.map((w) => ('begin' in w ? mayStart.delete(w.begin.idempotencyKey) : true));
  }

  async markFailed(idempotencyKey: string, lastError: string): Promise<void> {
    await this.prisma
      .$executeRaw`UPDATE "mailer"."MailLog" SET "status" = 'failed', "lastError" = ${lastError} WHERE "idempotencyKey" = ${idempotencyKey}`;
  }

  find(idempotencyKey: string): Promise<MailLog | null> {
    return this.prisma.mailLog.findUnique({ where: { idempotencyKey } });
  }
}
