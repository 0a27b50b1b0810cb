import { Client } from 'pg';
import WebSocket from 'ws';
import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer, createUser, GOOD_PASSWORD, login, mintToken } from '../auth/support';
import { adminApi, adminToken } from '../directory/support';
import { userByEmailSql, userByNameSql } from '../../apps/directory/src/users/users.repository';
import { authedSocket, openSocket } from '../sessions/ws-client';

const DAY = 86_400_000;

/** Issue 15, findings 13-18 and two found as a new user would: each test is named after the attack. */
describe('hardening: sessions, headers and sockets', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // Info lines are kept (in memory): the start-up test reads which service each one names.
    system = await startTestSystem({ LOG_LEVEL: 'info' });
    await createUser(system, { username: 'ivan' });
  });
  afterAll(() => system?.stop());

  describe('users (findings 13 and 14)', () => {
    let installation: ReturnType<typeof adminApi>;
    let otherDomain: ReturnType<typeof adminApi>;

    beforeAll(async () => {
      installation = adminApi(system, await adminToken(system, 'root'));
      await installation('POST', '/admin/users', { username: 'olga', domain: 'other.org', admin: true, password: GOOD_PASSWORD }, 201);
      const olga = await login(system, 'olga@other.org');
      otherDomain = adminApi(system, olga.body.accessToken);
    });

    it('a second user with the same name in another case is refused', async () => {
      await installation('POST', '/admin/users', { username: 'Carol', password: GOOD_PASSWORD }, 201);
      const second = await installation('POST', '/admin/users', { username: 'carol', password: 'another strong password 7' });
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({ code: 'user_exists', details: { field: 'username' } });
      // The same name in another domain is another user.
      await installation('POST', '/admin/users', { username: 'CAROL', domain: 'other.org' }, 201);

      // Any spelling logs in the one Carol of example.com.
      const signedIn = await login(system, 'cAROL');
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.user).toMatchObject({ username: 'Carol', domain: 'example.com' });
    });

    it('an email taken in another domain is refused', async () => {
      await installation('POST', '/admin/users', { username: 'victor', email: 'victor@example.com', password: GOOD_PASSWORD }, 201);

      const created = await otherDomain('POST', '/admin/users', { username: 'mallory', email: 'Victor@Example.com' });
      expect(created.status).toBe(409);
      expect(created.body.error).toMatchObject({ code: 'email_exists', details: { field: 'email' } });
      // Says that the address is in use, never by whom or where.
      expect(JSON.stringify(created.body)).not.toMatch(/victor@|example\.com|victor\b/i);

      const mallory = await otherDomain('POST', '/admin/users', { username: 'mallory' }, 201);
      const patched = await otherDomain('PATCH', `/admin/users/${mallory.body.id}`, { email: 'VICTOR@example.com' });
      expect(patched.status).toBe(409);
      expect(patched.body.error.code).toBe('email_exists');

      // The owner's email login still names exactly them.
      const byEmail = await login(system, 'VICTOR@EXAMPLE.COM');
      expect(byEmail.status).toBe(200);
      expect(byEmail.body.user).toMatchObject({ username: 'victor', domain: 'example.com' });
    });

    it('the login by name uses the index', async () => {
      const db = new Client({ connectionString: system.testEnv.databaseUrl });
      await db.connect();
      try {
        // A handful of rows makes any plan cheap: forbid the sequential scan, so only a usable index avoids it.
        await db.query('SET enable_seqscan = off');
        // And a domain of a few thousand users, analyzed (rolled back below): on a handful of rows every index of the
        // table that starts with the domain costs one page, and the planner may take any of them.
        await db.query('BEGIN');
        const { rows: columns } = await db.query<{ name: string }>(
          `SELECT column_name AS name FROM information_schema.columns
           WHERE table_schema = 'directory' AND table_name = 'User' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
        );
        const names = columns.map(({ name }) => `"${name}"`);
        await db.query(`
          INSERT INTO directory."User" (${names.join(', ')})
          SELECT ${names.map((name) => `(r).${name}`).join(', ')} FROM (
            SELECT jsonb_populate_record(u, jsonb_build_object('id', gen_random_uuid(), 'username', 'bulk' || g, 'email', NULL)) AS r
            FROM directory."User" u, generate_series(1, 3000) g WHERE u."usernameKey" = 'carol') AS copies`);
        await db.query('ANALYZE directory."User"');
        const plan = async (sql: { text: string; values: unknown[] }) =>
          (await db.query(`EXPLAIN ${sql.text}`, sql.values)).rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');

        // The name itself is an index condition, not a filter over every user of the domain.
        const byName = await plan(userByNameSql('example.com', 'CaRoL'));
        expect(byName).toContain('Index Scan using "User_domain_usernameKey_key"');
        expect(byName).toMatch(/Index Cond: .*"usernameKey" = 'carol'/);
        expect(byName).not.toMatch(/Seq Scan|Filter/);
        const byEmail = await plan(userByEmailSql('VICTOR@example.com'));
        expect(byEmail).toContain('Index Scan using "User_emailKey_key"');
        expect(byEmail).toMatch(/Index Cond: \("emailKey" = 'victor@example.com'/);
        // What it replaced: ILIKE, which a b-tree index cannot serve; it was checked row by row.
        const before = await plan({
          text: 'SELECT * FROM directory."User" WHERE domain = $1 AND username ILIKE $2 LIMIT 1',
          values: ['example.com', 'carol'],
        });
        expect(before).toMatch(/Filter: \(username ~~\* /);
      } finally {
        await db.query('ROLLBACK').catch(() => undefined);
        await db.end();
      }
    });
  });

  describe('session lifetime (finding 17)', () => {
    it('a longLogin session ends after the absolute limit even when used daily', async () => {
      const { body } = await login(system, 'ivan', undefined, { application: 'longLogin' });
      const loginAt = system.clock.nowMs();
      for (let day = 1; day < 30; day++) {
        system.clock.advance(DAY);
        const used = await mintToken(system, body.session);
        expect(used.status).toBe(200);
        // The tokens of the last day end with the session, not an hour later.
        expect(new Date(used.body.expiresAt).getTime()).toBeLessThanOrEqual(loginAt + 30 * DAY);
      }
      system.clock.advance(DAY);
      const late = await mintToken(system, body.session);
      expect(late.status).toBe(401);
      expect(late.body.error.code).toBe('session_revoked');
      // Logging in again is all it takes.
      expect((await login(system, 'ivan', undefined, { application: 'longLogin' })).status).toBe(200);
    });
  });

  describe('sockets (findings 17 and 18)', () => {
    it('a socket is closed when its access token expires', async () => {
      const { body } = await login(system, 'ivan', undefined, { application: 'refreshable' });
      const lapsing = await authedSocket(system.url, body.accessToken);
      const renewing = await authedSocket(system.url, body.accessToken);
      expect((await renewing.next('ready')).expiresInMs).toBe(new Date(body.expiresAt).getTime() - system.clock.nowMs());

      // Ten minutes before the end, one socket renews with a fresh token of its session.
      system.clock.advance(50 * 60_000);
      const fresh = await mintToken(system, body.session);
      renewing.messages.length = 0;
      renewing.ws.send(JSON.stringify({ type: 'auth', accessToken: fresh.body.accessToken }));
      expect((await renewing.next('ready')).expiresInMs).toBe(new Date(fresh.body.expiresAt).getTime() - system.clock.nowMs());

      system.clock.advance(10 * 60_000 + 1000);
      const closed = await lapsing.closed;
      expect(closed.code).toBe(4440);
      expect(lapsing.messages).toContainEqual({ type: 'error', code: 'token_expired' });
      expect(renewing.ws.readyState).toBe(WebSocket.OPEN);

      // A token of another session does not keep this one alive: refused and closed.
      const other = await login(system, 'ivan');
      renewing.ws.send(JSON.stringify({ type: 'auth', accessToken: other.body.accessToken }));
      expect((await renewing.closed).code).toBe(4401);
    });

    it('unauthenticated sockets per address are capped', async () => {
      const upgrade = () =>
        new Promise<{ status: number; ws?: WebSocket }>((resolve, reject) => {
          const ws = new WebSocket(`${system.url.replace(/^http/, 'ws')}/api/v1/ws`);
          ws.once('open', () => resolve({ status: 101, ws }));
          ws.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
          ws.once('error', reject);
        });
      const idle: WebSocket[] = [];
      try {
        for (let i = 0; i < 16; i++) {
          const opened = await upgrade();
          expect(opened.status).toBe(101);
          idle.push(opened.ws!);
        }
        expect((await upgrade()).status).toBe(429);

        // An authenticated socket no longer counts: its place is free again.
        const signedIn = await login(system, 'ivan');
        idle[0].send(JSON.stringify({ type: 'auth', accessToken: signedIn.body.accessToken }));
        await new Promise((resolve) => idle[0].once('message', resolve));
        const next = await upgrade();
        expect(next.status).toBe(101);
        idle.push(next.ws!);
      } finally {
        for (const ws of idle) ws.close();
      }
      // Closed sockets free their places too.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = await openSocket(system.url);
      after.ws.close();
    });
  });

  describe('metrics (finding 15)', () => {
    it('/metrics is not served on the public port', async () => {
      const outside = await fetch(`${system.url}/metrics`);
      expect(outside.status).toBe(404);
      expect(await outside.text()).not.toContain('gatehouse_http_requests_total');

      const inside = await fetch(`${system.metricsUrl}/metrics`);
      expect(inside.status).toBe(200);
      expect(await inside.text()).toContain('gatehouse_http_requests_total');
      expect(new URL(system.metricsUrl).hostname).toBe('127.0.0.1');
    });
  });

  describe('response headers (finding 16)', () => {
    it('credential answers are not cacheable', async () => {
      const signedIn = await login(system, 'ivan');
      expect(signedIn.status).toBe(200);
      const challenge = await api(system, 'POST', `/api/v1/auth/sessions/${signedIn.body.session.id}/challenge`);
      const token = await mintToken(system, signedIn.body.session);
      const apiKey = await api(system, 'POST', '/api/v1/me/api-keys', {
        body: { name: 'cache test' },
        headers: bearer(signedIn.body.accessToken),
      });
      const failed = await login(system, 'ivan', 'not the password at all');
      expect([challenge.status, token.status, apiKey.status, failed.status]).toEqual([200, 200, 201, 401]);

      for (const answer of [signedIn, challenge, token, apiKey, failed]) {
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      }
      // Outside the API too: nothing is sniffed.
      expect((await fetch(`${system.url}/health/live`)).headers.get('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('found as a new user would', () => {
    it('DELETE with a JSON content type and no body works', async () => {
      const signedIn = await login(system, 'ivan');
      const other = await login(system, 'ivan');
      const removed = await api(system, 'DELETE', `/api/v1/me/sessions/${other.body.session.id}`, {
        headers: { ...bearer(signedIn.body.accessToken), 'content-type': 'application/json' },
      });
      expect(removed.status).toBeLessThan(300);
      expect((await mintToken(system, other.body.session)).status).toBe(401);

      // A route that needs a body still says what is missing, and broken JSON is still refused.
      const empty = await api(system, 'POST', '/api/v1/auth/login', { headers: { 'content-type': 'application/json' } });
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('validation_failed');
      const broken = await fetch(`${system.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"user',
      });
      expect(broken.status).toBe(400);
      const poisoned = await fetch(`${system.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"__proto__": {"admin": true}}',
      });
      expect(poisoned.status).toBe(400);
    });

    it('labels the start-up lines of each service in one process with that service', () => {
      const initialised = system.logs.lines.filter(
        (line) => line.context === 'InstanceLoader' && /^\w+Module dependencies initialized/.test(String(line.msg)),
      );
      const owner: Record<string, string> = {
        AuthModule: 'auth',
        SessionsModule: 'sessions',
        DirectoryModule: 'directory',
        FederationModule: 'federation',
        MailerModule: 'mailer',
        GatewayModule: 'gateway',
      };
      const seen = initialised.filter((line) => owner[String(line.msg).split(' ')[0]]);
      expect(new Set(seen.map((line) => line.service))).toEqual(new Set(Object.values(owner)));
      for (const line of seen) expect(line.service).toBe(owner[String(line.msg).split(' ')[0]]);
    });
  });
});
