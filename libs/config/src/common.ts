import { isIP } from 'node:net';
import { z } from 'zod';

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const int = (min: number, max: number) =>
  z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(min).max(max);

const bool = z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

export const env = { url, int, bool };

/** What every service reads: where NATS is, how it logs. */
export const baseEnv = {
  NATS_URL: url(['nats:', 'tls:']).default('nats://127.0.0.1:4222'),
  NATS_REQUEST_TIMEOUT_MS: int(100, 120_000).default(5000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  GATEHOUSE_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name such as example.com')
    .default('gatehouse.local'),
  /** NATS-only services: an HTTP port for /health/live, /health/ready and /metrics (0: none). The gateway serves them on PORT. */
  HEALTH_PORT: int(0, 65535).default(0),
  HEALTH_HOST: z.string().min(1).default('0.0.0.0'),
};

export const databaseEnv = {
  DATABASE_URL: url(['postgresql:', 'postgres:']).default('postgresql://postgres@127.0.0.1:5432/gatehouse'),
  DATABASE_POOL_SIZE: int(1, 100).default(10),
};

export const redisEnv = {
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** Keeps installations (and test files) that share one Redis apart. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]*$/i, 'must be letters, digits, colon, dash or underscore')
    .default('gh:'),
};

/** Published in this repository: good for `npm start` on a fresh machine, never for real secrets. */
export const DEVELOPMENT_ENCRYPTION_KEY = 'ZGV2ZWxvcG1lbnQta2V5LWNoYW5nZS1pbi1wcm9kISE=';

/** Key for secrets encrypted at rest (SMTP password, app shared secrets, OIDC client secret). */
export const encryptionEnv = {
  /** `production` (the Docker image sets it) refuses to start on the development key: see loadConfig. */
  NODE_ENV: z.string().default('development'),
  GATEHOUSE_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
    .default(DEVELOPMENT_ENCRYPTION_KEY),
};

/** True when secrets at rest would be sealed with the published development key. */
export const usesDevelopmentKey = (config: object): boolean =>
  (config as { GATEHOUSE_ENCRYPTION_KEY?: unknown }).GATEHOUSE_ENCRYPTION_KEY === DEVELOPMENT_ENCRYPTION_KEY;

/** One CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address. */
const isNetwork = (entry: string): boolean => {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
};

/**
 * Admin settings name hosts Gatehouse connects to (SMTP, OIDC issuer, LDAP); loopback, link-local and
 * private addresses are refused unless listed here, so an admin setting cannot probe the internal network.
 */
export const outboundEnv = {
  OUTBOUND_ALLOWED_NETWORKS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every(isNetwork), 'must be comma-separated addresses or CIDR networks, e.g. 10.0.0.0/8,fd00::/8'),
};
