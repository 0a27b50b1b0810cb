import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import MailComposer from 'nodemailer/lib/mail-composer';
import { Clock, Metrics } from '@gatehouse/platform';
import { SmtpConfigService, SmtpTransport } from '../smtp-config/smtp-config.service';
import { renderMail } from '../templates/render';
import { MailLogRepository } from './mail-log.repository';
import type { MailJob } from './mail-job';

/**
 * Record in PostgreSQL, then send, then mark sent. A retry of a key already marked sent is a no-op.
 * At-least-once edge: a crash after the SMTP server accepted the mail but before "sent" is written
 * sends it again on retry; SMTP has no way to make that exactly-once.
 */
@Injectable()
export class MailSender {
  constructor(
    private readonly log: MailLogRepository,
    private readonly smtp: SmtpConfigService,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  async deliver(job: MailJob): Promise<void> {
    const unsent = await this.log.begin({
      idempotencyKey: job.idempotencyKey,
      kind: job.kind,
      recipient: job.to,
      language: job.language,
      now: this.clock.now(),
    });
    if (!unsent) return; // a retry or a duplicate of a mail already sent
    let transport: SmtpTransport | null = null;
    try {
      // No account (or a host on a disallowed address) fails the attempt like an SMTP error: retried until fixed.
      transport = await this.smtp.pooledTransport();
      if (!transport) throw new Error('no SMTP account is configured');
      const mail = renderMail(job.kind, job.language, job.data, transport.account.verificationLink);
      const info = await transport.transporter.sendMail(await composeMail({ from: transport.from, to: job.to, ...mail }));
      await this.log.markSent(job.idempotencyKey, String(info.response), this.clock.now());
      this.outcomes().inc({ kind: job.kind, outcome: 'sent' });
    } catch (error) {
      this.smtp.failed(transport, error);
      this.outcomes().inc({ kind: job.kind, outcome: 'failed' });
      await this.log.markFailed(job.idempotencyKey, (error as Error).message);
      throw error;
    }
  }

  /** A failed attempt is counted each time; BullMQ retries it until it is sent or out of attempts. */
  private outcomes() {
    return this.metrics.counter('gatehouse_mail_attempts_total', 'SMTP delivery attempts, by mail kind and outcome (sent or failed)', [
      'kind',
      'outcome',
    ]);
  }
}

/**
 * The mail as nodemailer's sendMail would build it (the same composer: headers, encodings, Message-ID,
 * the envelope from From and To), built before it waits for an SMTP connection rather than streamed out
 * piece by piece once it has one: a pooled connection then spends its turn only on the SMTP conversation,
 * and writes the message at once rather than in a dozen small writes.
 *
 * The Message-ID and the multipart boundary come from randomUUID (drawn from a pool Node refills in bulk)
 * rather than from nodemailer's eight small randomBytes calls per mail (five for the Message-ID, one per
 * MIME part), the Message-ID's domain being the sender's as nodemailer takes it, worked out once per From;
 * and From and To are parsed once, by sendMail, not also here: composing was about half of nodemailer's CPU
 * per mail in the mailer, and these took about a quarter of it (bench/mail.ts profiles).
 */
export async function composeMail(mail: { from: string; to: string; subject: string; text: string; html: string }) {
  const messageId = `<${randomUUID()}@${messageIdDomain(mail.from)}>`;
  const message = new MailComposer({ ...mail, messageId, baseBoundary: randomUUID().replaceAll('-', '') }).compile();
  // sendMail parses and normalizes the envelope's addresses as it does the headers' (IDN as punycode), and
  // keeps the Message-ID, which it would otherwise make up anew for its own records.
  return { envelope: { from: mail.from, to: [mail.to] }, messageId, raw: await message.build() };
}

/** The last From seen and its Message-ID domain: the queue's mails all have the account's. */
let lastDomain: { from: string; domain: string } | undefined;

const messageIdDomain = (from: string): string => {
  if (lastDomain?.from !== from) {
    // nodemailer's own rule: the domain of the envelope's sender (addresses parsed, IDN as punycode)
    const sender = new MailComposer({ from }).compile().getEnvelope().from;
    lastDomain = { from, domain: (sender || 'localhost').split('@').pop()! };
  }
  return lastDomain.domain;
};
