import { z } from 'zod';
import { Env, baseEnv, databaseEnv, encryptionEnv, env, loadConfig, outboundEnv, redisEnv } from '@gatehouse/config';

export const mailerConfigSchema = z.object({
  ...baseEnv,
  ...databaseEnv,
  ...redisEnv,
  ...encryptionEnv,
  ...outboundEnv,
  /** First retry delay of a failed mail job; doubles each attempt (exponential backoff). */
  MAILER_RETRY_BACKOFF_MS: env.int(10, 3_600_000).default(10_000),
  /** Attempts before a mail is given up; the default keeps retrying for about a day. */
  MAILER_RETRY_ATTEMPTS: env.int(1, 1000).default(25),
  /** How long a replica's claim on a mail job lasts unrenewed: a crashed replica's mails go to another after at most twice this. */
  MAILER_JOB_LOCK_MS: env.int(1000, 600_000).default(30_000),
  /**
   * Mails one replica handles at once (BullMQ worker concurrency). Besides its SMTP transaction a mail
   * waits for two commits of the mail log and a Redis round trip, so several times the SMTP connections:
   * while some mails wait on PostgreSQL and Redis, the others keep every connection busy (mails beyond the
   * connections wait for one in the pool). The log writes of the mails starting or finishing meanwhile
   * share one statement on the mailer's own database connection (queue/mail-log.repository.ts), so this
   * may exceed DATABASE_POOL_SIZE. A replica that dies holds this many mails until their locks lapse.
   */
  MAILER_CONCURRENCY: env.int(1, 256).default(32),
  /** SMTP connections one replica keeps open to the server (many servers limit a client's connections); mails beyond it wait for one. */
  MAILER_SMTP_POOL_SIZE: env.int(1, 64).default(4),
});
export type MailerConfig = z.infer<typeof mailerConfigSchema>;

export const loadMailerConfig = (env: Env = process.env): MailerConfig => loadConfig(mailerConfigSchema, env);
