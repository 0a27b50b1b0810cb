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
   * Mails one replica handles at once (BullMQ worker concurrency). Most of a mail's time is waiting on
   * PostgreSQL, Redis and the SMTP server, so more than the SMTP connections: those waits overlap. The
   * log writes of the mails starting or finishing together share one statement on the mailer's own two
   * database connections (queue/mail-log.repository.ts), so this may exceed DATABASE_POOL_SIZE.
   */
  MAILER_CONCURRENCY: env.int(1, 256).default(8),
  /** SMTP connections one replica keeps open to the server (many servers limit a client's connections); mails beyond it wait for one. */
  MAILER_SMTP_POOL_SIZE: env.int(1, 64).default(4),
});
export type MailerConfig = z.infer<typeof mailerConfigSchema>;

export const loadMailerConfig = (env: Env = process.env): MailerConfig => loadConfig(mailerConfigSchema, env);
