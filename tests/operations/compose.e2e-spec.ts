import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** `docker compose` (plugin) where installed, Debian's docker-compose otherwise (.ci/run installs it). */
function composeConfig(env: Record<string, string>) {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const [command, args] = plugin.status === 0 ? ['docker', ['compose']] : ['docker-compose', []];
  return spawnSync(command, [...args, '-f', join(root, 'docker-compose.yml'), 'config', '-q'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}

describe('docker-compose.yml', () => {
  it('is accepted by docker compose config', () => {
    const result = composeConfig({ GATEHOUSE_ENCRYPTION_KEY: 'ZGV2ZWxvcG1lbnQta2V5LWNoYW5nZS1pbi1wcm9kISE=' });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('refuses to run without an encryption key', () => {
    const result = composeConfig({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/GATEHOUSE_ENCRYPTION_KEY/);
  });
});
