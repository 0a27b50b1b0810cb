import { z } from 'zod';
import { Env, baseEnv, databaseEnv, env, loadConfig, redisEnv } from '@gatehouse/config';

export const sessionsConfigSchema = z.object({
  ...baseEnv,
  ...databaseEnv,
  ...redisEnv,
  /** Lifetime of an access token (capped by its session's end). */
  ACCESS_TOKEN_TTL_SECONDS: env.int(30, 86_400).default(3600),
  /**
   * No session outlives this many days after its login, however often it is used (`refreshable` and
   * `longLogin` slide): NIST SP 800-63B-4 asks AAL1 sessions to re-authenticate at least every 30 days.
   */
  SESSION_MAX_LIFETIME_DAYS: env.int(1, 365).default(30),
  /** How long a challenge nonce may be answered. */
  CHALLENGE_TTL_SECONDS: env.int(5, 600).default(60),
  /** How often expired sessions are swept (by one replica per interval). */
  SESSIONS_SWEEP_INTERVAL_MS: env.int(50, 3_600_000).default(60_000),
  /**
   * Expired sessions one statement of the sweep deletes. Small, so that each burst of work is short beside
   * token checks: bench:sweep's token-check p99 windows were lower at 50 than at 200. Their ends are
   * announced together, up to 200 a message (ExpirySweeper).
   */
  SESSIONS_SWEEP_BATCH_SIZE: env.int(1, 1000).default(50),
  /**
   * The sweep's pause after each batch, in percent of the time that batch took (300: three times as long
   * again, so the sweep works a quarter of the time): a background job leaves the cores to token checks and
   * logins; a backlog of 200,000 sessions takes about a minute and a half. 0: no pause.
   */
  SESSIONS_SWEEP_PAUSE_PERCENT: env.int(0, 10_000).default(300),
  /**
   * A sweep starts gently: over its first this many ms the pause falls from 4× SESSIONS_SWEEP_PAUSE_PERCENT
   * to 1× (the first batches run cold code and plans in every service that hears them). 0: no warm-up.
   */
  SESSIONS_SWEEP_WARMUP_MS: env.int(0, 600_000).default(5_000),
});
export type SessionsConfig = z.infer<typeof sessionsConfigSchema>;

export const loadSessionsConfig = (env: Env = process.env): SessionsConfig => loadConfig(sessionsConfigSchema, env);
