import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { GOOD_PASSWORD, bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

const ROOT = resolve(__dirname, '../..');
/** Each command is a fresh Node process compiling TypeScript: seconds apiece on a loaded CI machine. */
const SLOW = 120_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('break-glass: the operator command (npm run admin)', () => {
  let system: TestSystem;
  let db: Client;

  /** `npm run admin -- ...` as an operator runs it, against this file's NATS through the services' own environment. */
  const admin = (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> =>
    new Promise((done, fail) => {
      const child = spawn('npm', ['run', '--silent', 'admin', '--', ...args], {
        cwd: ROOT,
        env: { ...process.env, ...system.testEnv.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
      child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
      child.once('error', fail);
      child.once('close', (code) => done({ code, stdout, stderr }));
      child.stdin.end(options.stdin ?? '');
    });

  const operatorRows = async (action: string) =>
    (
      await db.query(
        `SELECT outcome, login, "userId", details FROM auth.audit WHERE type = 'operator' AND details->>'action' = $1 ORDER BY "createdAt"`,
        [action],
      )
    ).rows;

  beforeAll(async () => {
    system = await startTestSystem();
    db = new Client({ connectionString: system.testEnv.databaseUrl });
    await db.connect();
    // An installation administrator (example.com is the test installation's domain) with no email address.
    await createUser(system, { username: 'root', admin: true });
  });
  afterAll(async () => {
    await db?.end();
    await system?.stop();
  });

  it(
    'brings back an installation admin locked out by two-factor (no email, every session ended)',
    async () => {
      const signedIn = await login(system, 'root');
      expect(signedIn.status).toBe(200);
      const on = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
        headers: bearer(signedIn.body.accessToken),
        body: { twoFactor: true, force: true },
      });
      expect(on.status).toBe(200);

      const ended = await admin(['end-sessions', 'root']);
      expect(ended).toMatchObject({ code: 0, stdout: expect.stringContaining('ended 1 session of root@example.com') });
      const lockedOut = await login(system, 'root');
      expect(lockedOut.status).toBe(403);
      expect(lockedOut.body.error.code).toBe('approval_unavailable');

      const off = await admin(['two-factor', 'off']);
      expect(off).toMatchObject({ code: 0, stdout: expect.stringContaining('two-factor approval is off now') });
      const back = await login(system, 'root');
      expect(back.status).toBe(200);
      expect(back.body.user).toMatchObject({ username: 'root', admin: true });

      const [endRow] = await operatorRows('end-sessions');
      expect(endRow).toMatchObject({ outcome: 'done', login: 'root@example.com', details: { ended: 1 } });
      expect(endRow.details.operator).toMatch(/^operator:cli:/);
      expect(await operatorRows('two-factor-off')).toEqual([
        expect.objectContaining({ outcome: 'done', details: expect.objectContaining({ changed: true }) }),
      ]);
    },
    SLOW,
  );

  it(
    'creates an administrator with a generated password shown once, who signs in and is listed',
    async () => {
      const created = await admin(['create-admin', 'rescuer']);
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('created administrator rescuer@example.com');
      const password = /password \(shown once[^)]*\): (\S+)/.exec(created.stdout)?.[1];
      expect(password).toBeDefined();

      const signedIn = await login(system, 'rescuer', password);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.user).toMatchObject({ admin: true, domain: 'example.com' });

      const listed = await admin(['list-admins', '--json']);
      expect(listed.code).toBe(0);
      const { admins } = JSON.parse(listed.stdout);
      expect(admins).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            user: expect.objectContaining({ username: 'rescuer' }),
            hasPassword: true,
            sessions: 1,
            canApprove: true,
          }),
          expect.objectContaining({ user: expect.objectContaining({ username: 'root' }), hasPassword: true }),
        ]),
      );
      expect(await operatorRows('create-admin')).toEqual([
        expect.objectContaining({ outcome: 'done', login: 'rescuer@example.com', details: expect.objectContaining({ created: true }) }),
      ]);
      expect(JSON.stringify(await operatorRows('create-admin'))).not.toContain(password);
    },
    SLOW,
  );

  it(
    'makes an existing user an administrator with the password read from stdin',
    async () => {
      await createUser(system, { username: 'carol' });
      const chosen = 'a new pass phrase for carol 7';
      const done = await admin(['create-admin', 'carol', '--password-stdin'], { stdin: `${chosen}\n` });
      expect(done).toMatchObject({ code: 0, stdout: expect.stringContaining('administrator now, with a new password: carol@example.com') });
      expect(done.stdout).not.toContain(chosen);
      expect((await login(system, 'carol', GOOD_PASSWORD)).status).toBe(401);
      const signedIn = await login(system, 'carol', chosen);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.user.admin).toBe(true);
    },
    SLOW,
  );

  it(
    'resets a password from GATEHOUSE_NEW_PASSWORD and refuses one on the command line',
    async () => {
      const chosen = 'root has a fresh pass phrase 9';
      expect(await admin(['reset-password', 'root'], { env: { GATEHOUSE_NEW_PASSWORD: chosen } })).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('new password set for root@example.com'),
      });
      expect((await login(system, 'root', chosen)).status).toBe(200);

      const onArgv = await admin(['reset-password', 'root', '--password', 'visible in ps']);
      expect(onArgv.code).toBe(64);
      expect(onArgv.stderr).toMatch(/never taken on the command line/);
    },
    SLOW,
  );

  it(
    'answers errors in one line with an exit code: unknown user (1, audited), unknown command (64), NATS away (69), bad configuration (78)',
    async () => {
      const unknown = await admin(['end-sessions', 'nobody']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim()).toBe('admin: No user nobody in example.com [not_found]');
      expect(await operatorRows('end-sessions')).toContainEqual(
        expect.objectContaining({
          outcome: 'failure',
          login: 'nobody@example.com',
          details: expect.objectContaining({ code: 'not_found' }),
        }),
      );

      expect((await admin(['frobnicate'])).code).toBe(64);
      const away = await admin(['list-admins'], { env: { NATS_URL: 'nats://127.0.0.1:1', NATS_REQUEST_TIMEOUT_MS: '500' } });
      expect(away.code).toBe(69);
      expect(away.stderr).toMatch(/service_unavailable/);
      const misconfigured = await admin(['list-admins'], { env: { NATS_URL: 'http://wrong' } });
      expect(misconfigured.code).toBe(78);
      expect(misconfigured.stderr.trim()).toMatch(/^admin: configuration error: NATS_URL: /);
    },
    SLOW,
  );
});
