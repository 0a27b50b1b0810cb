import { z } from 'zod';
import { Env, baseEnv, databaseEnv, env, loadConfig, redisEnv } from '@gatehouse/config';

export const sessionsConfigSchema = z.object({
  ...baseEnv,
  ...databaseEnv,
  ...redisEnv,
  /** Lifetime of an access token (capped by its session's end). */
  ACCESS_TOKEN_TTL_SECONDS: env.int(30, 86_400).default(3600),
  /** How long a challenge nonce may be answered. */
  CHALLENGE_TTL_SECONDS: env.int(5, 600).default(60),
  /** How often expired sessions are swept (by one replica per interval). */
  SESSIONS_SWEEP_INTERVAL_MS: env.int(50, 3_600_000).default(60_000),
});
export type SessionsConfig = z.infer<typeof sessionsConfigSchema>;

export const loadSessionsConfig = (env: Env = process.env): SessionsConfig => loadConfig(sessionsConfigSchema, env);
