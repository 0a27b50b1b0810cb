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
});
export type SessionsConfig = z.infer<typeof sessionsConfigSchema>;

export const loadSessionsConfig = (env: Env = process.env): SessionsConfig => loadConfig(sessionsConfigSchema, env);
