import { z } from 'zod';
import { Env, baseEnv, databaseEnv, encryptionEnv, env, loadConfig, outboundEnv, redisEnv } from '@gatehouse/config';

export const directoryConfigSchema = z.object({
  ...baseEnv,
  ...databaseEnv,
  ...encryptionEnv,
  ...redisEnv,
  ...outboundEnv,
  /** The OpenID Provider makes a new signing key this often. */
  OIDC_KEY_ROTATION_DAYS: env.int(1, 365).default(30),
  /** An old key stays in JWKS this long after its last signature: longer than any ID or access token lives (1 h) plus relying parties' JWKS caches. */
  OIDC_KEY_OVERLAP_SECONDS: env.int(3600, 30 * 86_400).default(86_400),
  /** How often one replica checks whether a signing key is due and deletes retired keys. */
  OIDC_KEY_CHECK_INTERVAL_MS: env.int(1000, 86_400_000).default(3_600_000),
  /** How often one replica deletes expired OpenID Provider rows (codes, tokens, grants). */
  OIDC_SWEEP_INTERVAL_MS: env.int(1000, 86_400_000).default(600_000),
  /** Back-channel logout: attempts per app and the first retry's delay (doubling: 10 attempts from 5 s span about 85 min). */
  OIDC_BACKCHANNEL_ATTEMPTS: env.int(1, 30).default(10),
  OIDC_BACKCHANNEL_BACKOFF_MS: env.int(100, 3_600_000).default(5000),
  /** How long one delivery attempt waits for the app's answer. */
  OIDC_BACKCHANNEL_TIMEOUT_MS: env.int(500, 60_000).default(5000),
});
export type DirectoryConfig = z.infer<typeof directoryConfigSchema>;

export const loadDirectoryConfig = (env: Env = process.env): DirectoryConfig => loadConfig(directoryConfigSchema, env);
