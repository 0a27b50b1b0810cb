import { z } from 'zod';
import { Env, baseEnv, env, loadConfig, redisEnv } from '@gatehouse/config';

export const gatewayConfigSchema = z.object({
  ...baseEnv,
  ...redisEnv,
  PORT: env.int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Behind a reverse proxy, the client address comes from X-Forwarded-For. */
  TRUST_PROXY: env.bool.default(false),
  /** Largest request body in bytes (a home screen is 8 KB; nothing else is bigger). */
  BODY_LIMIT_BYTES: env.int(1024, 1_048_576).default(65_536),
  /** On shutdown, requests still open after this long are cut off (keep-alive connections would hold it for 72 s). */
  SHUTDOWN_DRAIN_MS: env.int(0, 120_000).default(5000),
  /** Prometheus `/metrics` listens here, not on PORT (0: a free port the system picks). */
  METRICS_PORT: env.int(0, 65535).default(9464),
  /** Loopback by default; a pod's address (0.0.0.0) where Prometheus scrapes from another host. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** How long readiness waits for each service's answer. */
  HEALTH_TIMEOUT_MS: env.int(100, 10_000).default(1000),
  /** A WebSocket that has not authenticated within this time is closed. */
  WS_AUTH_TIMEOUT_MS: env.int(100, 120_000).default(10_000),
  /** WebSockets one client address may hold open before they authenticate; more are refused with HTTP 429. */
  WS_UNAUTHENTICATED_PER_ADDRESS: env.int(1, 10_000).default(16),
  /**
   * Access tokens this gateway keeps while Redis tracks them for it (CLIENT TRACKING: every change is announced
   * and applied at once); 0 reads Redis on every check. About 0.5 KB each.
   */
  TOKEN_CACHE_ENTRIES: env.int(0, 10_000_000).default(100_000),
  /** The oldest a kept token may get before Redis is asked again: a bound should tracking fail unseen. */
  TOKEN_CACHE_MAX_AGE_MS: env.int(100, 3_600_000).default(10_000),
  /** Unknown access tokens or API keys one client address may send per window before getting 429. */
  CREDENTIAL_GUESS_LIMIT: env.int(1, 1_000_000).default(100),
  CREDENTIAL_GUESS_WINDOW_MS: env.int(1000, 86_400_000).default(600_000),
  /** The OpenID Provider's issuer: Gatehouse's public origin, e.g. https://gatehouse.example.com (default: this gateway's own address). */
  OIDC_ISSUER: env
    .url(['https:', 'http:'])
    .refine(
      (value) => new URL(value).pathname === '/' && !value.endsWith('/'),
      'must be an origin without a path or trailing slash, e.g. https://gatehouse.example.com',
    )
    .optional(),
  /** Lifetime of the access and ID tokens the OpenID Provider issues to apps. */
  OIDC_ACCESS_TOKEN_TTL_SECONDS: env.int(60, 86_400).default(3600),
  /** Longest life of an app's refresh token; it dies earlier with the device session it belongs to. */
  OIDC_REFRESH_TOKEN_TTL_DAYS: env.int(1, 365).default(30),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: Env = process.env): GatewayConfig => loadConfig(gatewayConfigSchema, env);
