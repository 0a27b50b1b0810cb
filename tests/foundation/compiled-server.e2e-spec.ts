import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TestEnv, createTestEnv, freePort, waitFor } from '@gatehouse/testing';

const root = join(__dirname, '..', '..');
/** Its own output folder: dist/server may be what a running `npm start` loads. */
const OUT = 'dist/e2e-server';
const APPS = ['auth', 'directory', 'federation', 'gateway', 'mailer', 'sessions'];

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

/**
 * What `npm start` and the image run: the services compiled by tools/build/server.cjs (`npm run build:server`),
 * started with plain `node`, no TypeScript loader. The compiled gateway finds the built web client and libraries
 * (npm test builds them first) and a login goes through every hop, the hashing threads included.
 */
describe('the compiled server', () => {
  let env: TestEnv;
  let system: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['tools/build/server.cjs', '--out', OUT], { cwd: root, encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    env = await createTestEnv({ LOG_LEVEL: 'warn' });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    system = spawn(process.execPath, [join(root, OUT, 'tools/standalone/start-all.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env.env, PORT: String(port), METRICS_PORT: '0' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(
      async () => {
        if (system!.exitCode !== null) throw new Error(`start-all.js exited with ${system!.exitCode}`);
        return fetch(`${url}/health/ready`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      { timeoutMs: 45_000, intervalMs: 200 },
    );
  }, 90_000);

  afterAll(async () => {
    if (system && system.exitCode === null) {
      const exited = new Promise((resolve) => system!.once('exit', resolve));
      system.kill('SIGTERM');
      await exited;
    }
    await env?.cleanup();
    rmSync(join(root, OUT), { recursive: true, force: true });
  });

  it('compiles every service, with its source map, and no test', () => {
    for (const app of APPS) expect(existsSync(join(root, OUT, 'apps', app, 'src', 'main.js'))).toBe(true);
    const written = files(join(root, OUT)).map((f) => relative(join(root, OUT), f));
    expect(written.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(written.filter((f) => /spec\.js$/.test(f))).toEqual([]);
    const scripts = written.filter((f) => f.endsWith('.js'));
    expect(written.filter((f) => f.endsWith('.js.map'))).toHaveLength(scripts.length);
  });

  it('serves the built web client and libraries from the compiled gateway', async () => {
    for (const path of ['/', '/sdk/app.js', '/sdk/gatehouse.js']) {
      const response = await fetch(`${url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('content-type')).toMatch(path === '/' ? /^text\/html/ : /javascript/);
    }
  });

  it('answers a login through the gateway, NATS and auth with its hashing threads', async () => {
    const response = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'not a password anyone has', device: { name: 'e2e', platform: 'node' } }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_credentials');
  });
});
