import { z } from 'zod';
import { usesDevelopmentKey } from './common';

export type Env = Record<string, string | undefined>;

/** A configuration error names the variable and what it expects, in one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: ${expected}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates configuration once. Empty strings count as unset so that a
 * `.env` line such as `SMTP_PASSWORD=` falls back to the default.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) {
    requireOwnKeyInProduction(result.data as Record<string, unknown>, input);
    return result.data;
  }
  const issue = result.error.issues[0];
  const variable = String(issue.path[0] ?? 'environment');
  const given = input[variable];
  const shown = given === undefined ? 'missing' : isSecretName(variable) ? 'given value rejected' : `got "${given}"`;
  throw new ConfigError(variable, `${issue.message} (${shown})`);
}

/** A production installation on the published development key would only look encrypted. */
function requireOwnKeyInProduction(config: Record<string, unknown>, input: Record<string, string>): void {
  if (config.NODE_ENV !== 'production' || !usesDevelopmentKey(config)) return;
  const shown = input.GATEHOUSE_ENCRYPTION_KEY === undefined ? 'missing' : 'the built-in development key';
  throw new ConfigError(
    'GATEHOUSE_ENCRYPTION_KEY',
    `must be set with NODE_ENV=production, to 32 random bytes in base64 (openssl rand -base64 32) (${shown})`,
  );
}

const isSecretName = (name: string) => /PASSWORD|SECRET|KEY|TOKEN/.test(name);

/** Prints a configuration error as one line and stops the process. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
