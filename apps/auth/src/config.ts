import { z } from 'zod';
import { Env, baseEnv, databaseEnv, env, loadConfig, redisEnv } from '@gatehouse/config';
import { ARGON2_DEFAULT, ARGON2_MINIMUM, Argon2Cost } from '@gatehouse/crypto';

export const authConfigSchema = z.object({
  ...baseEnv,
  ...databaseEnv,
  ...redisEnv,
  /** The first administrator, made on first start when no such user exists (idempotent). */
  ADMIN_USERNAME: z.string().regex(/^[A-Za-z0-9._~!$&'*+=-]{1,128}$/, 'must be a SIP user name').optional(),
  ADMIN_PASSWORD: z.string().min(1).optional(),
  /** argon2id cost of new password hashes (never below OWASP's 19 MiB and 2 passes); older hashes are redone at login. */
  ARGON2_MEMORY_KIB: env.int(ARGON2_MINIMUM.memoryKiB, 4_194_304).default(ARGON2_DEFAULT.memoryKiB),
  ARGON2_PASSES: env.int(ARGON2_MINIMUM.passes, 100).default(ARGON2_DEFAULT.passes),
  /** Wrong passwords one login name may have from one address (or known device) before waits begin; then waits double up to the cap. */
  THROTTLE_LOGIN_FREE_ATTEMPTS: env.int(1, 100_000).default(5),
  /** Consecutive wrong passwords of one account from everywhere, after which addresses and devices it never signed in from wait (NIST SP 800-63B-4: at most 100). */
  THROTTLE_ACCOUNT_FREE_ATTEMPTS: env.int(1, 100).default(100),
  /** Wrong passwords per client address, across logins (many users may share one NAT). */
  THROTTLE_ADDRESS_FREE_ATTEMPTS: env.int(1, 100_000).default(30),
  THROTTLE_BASE_DELAY_MS: env.int(100, 3_600_000).default(1000),
  THROTTLE_MAX_DELAY_MS: env.int(1000, 86_400_000).default(900_000),
  /** Seed 002: an unused external user is deleted this long after creation. */
  EXTERNAL_USER_TTL_SECONDS: env.int(10, 86_400).default(900),
  /** How often due external users are deleted (any replica; they share the work). */
  AUTH_SWEEP_INTERVAL_MS: env.int(50, 3_600_000).default(30_000),
  /** Approval requests (pending logins) one account may cause per window. */
  APPROVAL_RATE_LIMIT: env.int(1, 10_000).default(5),
  APPROVAL_RATE_WINDOW_MS: env.int(1000, 86_400_000).default(600_000),
  /** Wrong codes a transfer-mode approval tolerates before the pending login is rejected. */
  APPROVAL_MAX_WRONG_CODES: env.int(1, 100).default(5),
  /** Reset mails one account may get per window (README "Account recovery and API keys"); more requests are logged, not mailed. */
  PASSWORD_RESET_ACCOUNT_LIMIT: env.int(1, 100).default(3),
  /** Reset requests one client address may make per window, known and unknown logins alike. */
  PASSWORD_RESET_ADDRESS_LIMIT: env.int(1, 100_000).default(20),
  PASSWORD_RESET_WINDOW_MS: env.int(60_000, 86_400_000).default(3_600_000),
});
export type AuthConfig = z.infer<typeof authConfigSchema>;

export const loadAuthConfig = (env: Env = process.env): AuthConfig => loadConfig(authConfigSchema, env);

export const argon2CostOf = (config: Pick<AuthConfig, 'ARGON2_MEMORY_KIB' | 'ARGON2_PASSES'>): Argon2Cost => ({
  memoryKiB: config.ARGON2_MEMORY_KIB,
  passes: config.ARGON2_PASSES,
});
