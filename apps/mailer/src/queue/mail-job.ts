import type { MailKind } from '@gatehouse/contracts';

/** One mail waiting in the queue: what MailQueue stores and MailSender delivers. */
export interface MailJob {
  kind: MailKind;
  to: string;
  language: string;
  data: Record<string, string | number>;
  idempotencyKey: string;
}
