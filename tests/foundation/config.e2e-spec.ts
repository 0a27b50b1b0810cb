import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Starts one service's main.ts as its own process, as `nx serve <app>` does. */
function runService(app: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'apps', app, 'src', 'main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('configuration', () => {
  it('stops a service whose NATS_URL is not a URL, with one line naming the variable', () => {
    const result = runService('directory', { NATS_URL: 'not a url' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^Configuration error: NATS_URL: must be a URL starting with nats:\/\/ or tls:\/\/ \(got "not a url"\)/);
  });

  it('names a bad number and never prints a secret value', () => {
    const pool = runService('auth', { DATABASE_POOL_SIZE: 'many' });
    expect(pool.status).toBe(1);
    expect(pool.stderr).toMatch(/DATABASE_POOL_SIZE: must be a whole number/);

    const key = runService('gateway', { REDIS_URL: 'redis://127.0.0.1:6379', LOG_LEVEL: 'loud' });
    expect(key.status).toBe(1);
    expect(key.stderr).toMatch(/LOG_LEVEL: must be one of/);
  });
});
