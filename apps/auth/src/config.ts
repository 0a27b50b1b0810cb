import { z } from 'zod';
import { Env, baseEnv, databaseEnv, encryptionEnv, env, loadConfig, outboundEnv, redisEnv } from '@gatehouse/config';
import { ARGON2_DEFAULT, ARGON2_MINIMUM, Argon2Cost } from '@gatehouse/crypto';

export const authConfigSchema = z
  .object({
    ...baseEnv,
    ...databaseEnv,
    ...redisEnv,
    ...encryptionEnv,
    ...outboundEnv,
    /** The first administrator, made on first start when no such user exists (idempotent). */
    ADMIN_USERNAME: z
      .string()
      .regex(/^[A-Za-z0-9._~!$&'*+=-]{1,128}$/, 'must be a SIP user name')
      .optional(),
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
    /** Webhook deliveries: attempts per event and the first retry's wait (doubling after each failure). */
    WEBHOOK_ATTEMPTS: env.int(1, 30).default(8),
    WEBHOOK_RETRY_BASE_MS: env.int(10, 3_600_000).default(10_000),
    /** How long a receiver may take to answer one delivery. */
    WEBHOOK_TIMEOUT_MS: env.int(100, 60_000).default(5000),
    /** WebAuthn relying party: the host name passkeys are bound to (the web client's host or a parent domain of it). */
    WEBAUTHN_RP_ID: z
      .string()
      .default('localhost')
      .refine(
        (v) => /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(v),
        'must be a lower-case host name (no scheme, port or IP address)',
      ),
    WEBAUTHN_RP_NAME: z.string().min(1).max(100).default('Gatehouse'),
    /** Origins the web client is served from (scheme://host[:port], comma-separated); a passkey answer from any other is refused. */
    WEBAUTHN_ORIGINS: z
      .string()
      .default('http://localhost:3000')
      .transform((value) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .refine(
        (origins) => origins.length > 0 && origins.every(isOrigin),
        'must be comma-separated origins such as https://gatehouse.example.com (https, or http on localhost)',
      ),
    /** How long a passkey ceremony's challenge may be answered (single use either way). */
    WEBAUTHN_CHALLENGE_TTL_MS: env.int(10_000, 600_000).default(300_000),
    /** The OPAQUE server setup (opaque.server.createSetup()); unset: made once and kept in auth's database. */
    OPAQUE_SERVER_SETUP_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{100,400}$/, 'must be the base64url string opaque.server.createSetup() returns')
      .optional(),
    /** argon2id key stretching of new OPAQUE records, done by the client at every OPAQUE login (default: the library's memory-constrained profile). */
    OPAQUE_STRETCH_MEMORY_KIB: env.int(8192, 2_097_151).default(65_536),
    OPAQUE_STRETCH_ITERATIONS: env.int(1, 20).default(3),
    OPAQUE_STRETCH_PARALLELISM: env.int(1, 16).default(4),
    /** How long the server's state between the two OPAQUE login messages lives (Redis). */
    OPAQUE_LOGIN_TTL_MS: env.int(5_000, 600_000).default(60_000),
  })
  .refine((config) => config.WEBAUTHN_ORIGINS.every((origin) => hostMatchesRpId(new URL(origin).hostname, config.WEBAUTHN_RP_ID)), {
    message: 'WEBAUTHN_ORIGINS: every origin must be WEBAUTHN_RP_ID or a subdomain of it',
    path: ['WEBAUTHN_ORIGINS'],
  });
export type AuthConfig = z.infer<typeof authConfigSchema>;

/** WebAuthn needs a secure context: https, or http on localhost (and *.localhost). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    const local = url.hostname === 'localhost' || url.hostname.endsWith('.localhost');
    return url.origin === value && (url.protocol === 'https:' || (url.protocol === 'http:' && local));
  } catch {
    return false;
  }
}

const hostMatchesRpId = (host: string, rpId: string) => host === rpId || host.endsWith(`.${rpId}`);

export const loadAuthConfig = (env: Env = process.env): AuthConfig => loadConfig(authConfigSchema, env);

export const argon2CostOf = (config: Pick<AuthConfig, 'ARGON2_MEMORY_KIB' | 'ARGON2_PASSES'>): Argon2Cost => ({
  memoryKiB: config.ARGON2_MEMORY_KIB,
  passes: config.ARGON2_PASSES,
});
