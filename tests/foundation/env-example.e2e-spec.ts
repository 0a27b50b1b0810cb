import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authConfigSchema } from '../../apps/auth/src/config';
import { directoryConfigSchema } from '../../apps/directory/src/config';
import { federationConfigSchema } from '../../apps/federation/src/config';
import { gatewayConfigSchema } from '../../apps/gateway/src/config';
import { mailerConfigSchema } from '../../apps/mailer/src/config';
import { sessionsConfigSchema } from '../../apps/sessions/src/config';

describe('.env.example', () => {
  const listed = new Map(
    readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/^#\s*/, ''))
      .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
  const schemas = [
    authConfigSchema,
    directoryConfigSchema,
    federationConfigSchema,
    gatewayConfigSchema,
    mailerConfigSchema,
    sessionsConfigSchema,
  ];

  it('lists every variable that a service reads, with its default', () => {
    for (const schema of schemas) {
      const defaults = schema.parse({}) as Record<string, unknown>;
      for (const key of Object.keys(schema.shape)) {
        expect(listed.has(key) ? key : `${key} (missing from .env.example)`).toBe(key);
        if (defaults[key] !== undefined && typeof defaults[key] !== 'object') {
          expect(`${key}=${listed.get(key)}`).toBe(`${key}=${String(defaults[key])}`);
        }
      }
    }
  });
});
