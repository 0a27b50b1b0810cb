import { Client } from 'pg';
import { waitFor } from '@gatehouse/testing';
import { verifyAppLoginDigest } from '@gatehouse/app-login';
import { startTestSystem, TestSystem } from '../support/system';
import { authedSocket } from '../sessions/ws-client';
import { login } from '../auth/support';
import { adminApi, adminToken, GOOD_PASSWORD, me, tokenFor } from './support';

const NEW_PASSWORD = 'another long passphrase 1987';

describe('administration of users, templates, apps and myApps settings', () => {
  let system: TestSystem;
  let admin: ReturnType<typeof adminApi>;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = adminApi(system, await adminToken(system));
    await admin('POST', '/admin/apps', { id: 'chat', name: 'Chat', url: 'https://apps.example.com/chat', secret: 'first-secret' }, 201);
    await admin('POST', '/admin/apps', { id: 'users', name: 'Users', url: 'https://apps.example.com/users' }, 201);
  });
  afterAll(() => system.stop());

  describe('apps', () => {
    it('stores the shared secret encrypted, never in clear', async () => {
      const db = new Client({ connectionString: system.testEnv.databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query(`SELECT "secretEncrypted" FROM directory."App" WHERE "appId" = 'chat' AND domain = 'example.com'`);
        expect(rows[0].secretEncrypted).toMatch(/^v1\./);
        expect(rows[0].secretEncrypted).not.toContain('first-secret');
      } finally {
        await db.end();
      }
    });

    it('refuses a bad base URL, an unknown field and a missing name with clear codes', async () => {
      const badUrl = await admin('POST', '/admin/apps', { id: 'x', name: 'X', url: 'ftp://apps.example.com/x' });
      expect(badUrl.status).toBe(400);
      expect(badUrl.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'url' } });
      const withQuery = await admin('POST', '/admin/apps', { id: 'x', name: 'X', url: 'https://apps.example.com/x?a=1' });
      expect(withQuery.body.error.code).toBe('validation_failed');
      const unknown = await admin('POST', '/admin/apps', { id: 'x', name: 'X', url: 'https://apps.example.com/x', color: 'red' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe('unknown_field');
      const badId = await admin('POST', '/admin/apps', { id: 'has space', name: 'X', url: 'https://apps.example.com/x' });
      expect(badId.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'id' } });
      expect((await admin('GET', '/admin/apps/nothing-here')).status).toBe(404);
    });

    it('changes the shared secret (write-only) and app logins follow it', async () => {
      await admin('POST', '/admin/users', { username: 'sam', password: GOOD_PASSWORD, apps: ['chat'] }, 201);
      const token = await tokenFor(system, 'sam');
      const fields = { appId: 'chat', domain: 'example.com', user: 'sam@example.com', challenge: 'ch-1' };

      const patched = await admin('PATCH', '/admin/apps/chat', { secret: 'second-secret' }, 200);
      expect(patched.body.secretSet).toBe(true);
      const digest = (await me(system, token, 'POST', '/apps/chat/login', { challenge: 'ch-1' })).body.digest;
      expect(verifyAppLoginDigest('second-secret', fields, digest)).toBe(true);
      expect(verifyAppLoginDigest('first-secret', fields, digest)).toBe(false);

      expect((await admin('PATCH', '/admin/apps/chat', { secret: null }, 200)).body.secretSet).toBe(false);
      expect((await me(system, token, 'POST', '/apps/chat/login', { challenge: 'ch-1' })).status).toBe(422);
      await admin('PATCH', '/admin/apps/chat', { secret: 'first-secret' }, 200);
    });

    it('refuses a challenge with control characters', async () => {
      const token = await tokenFor(system, 'sam');
      const response = await me(system, token, 'POST', '/apps/chat/login', { challenge: 'a\nb' });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    });

    it('deleting an app takes it from its users and tells their sockets', async () => {
      await admin('POST', '/admin/apps', { id: 'temp', name: 'Temporary', url: 'https://apps.example.com/temp' }, 201);
      await admin('POST', '/admin/users', { username: 'tina', password: GOOD_PASSWORD, apps: ['temp', 'users'] }, 201);
      const token = await tokenFor(system, 'tina');
      const socket = await authedSocket(system.url, token);

      await admin('DELETE', '/admin/apps/temp', undefined, 200);

      await socket.next('apps.changed');
      expect((await me(system, token, 'GET', '/apps')).body.apps.map((a: { id: string }) => a.id)).toEqual(['users']);
      expect((await admin('DELETE', '/admin/apps/temp')).status).toBe(404);
      socket.ws.close();
    });

    it('pages the list', async () => {
      const first = await admin('GET', '/admin/apps?limit=1', undefined, 200);
      expect(first.body).toMatchObject({ total: 2, offset: 0, limit: 1 });
      expect(first.body.items.map((a: { id: string }) => a.id)).toEqual(['chat']);
      const second = await admin('GET', '/admin/apps?limit=1&offset=1', undefined, 200);
      expect(second.body.items.map((a: { id: string }) => a.id)).toEqual(['users']);
      expect((await admin('GET', '/admin/apps?limit=500')).status).toBe(400);
    });
  });

  it('lets an admin API key administer the registry, and a user API key read the user’s apps', async () => {
    const key = (await admin('POST', '/me/api-keys', { name: 'provisioning' }, 201)).body.key;
    const withKey = await fetch(`${system.url}/api/v1/admin/apps`, { headers: { authorization: `ApiKey ${key}` } });
    expect(withKey.status).toBe(200);

    await admin('POST', '/admin/users', { username: 'kim', password: GOOD_PASSWORD, apps: ['users'] }, 201);
    const userKey = (await me(system, await tokenFor(system, 'kim'), 'POST', '/api-keys', { name: 'script' })).body.key;
    const apps = await fetch(`${system.url}/api/v1/me/apps`, { headers: { authorization: `ApiKey ${userKey}` } });
    expect(((await apps.json()) as any).apps.map((a: { id: string }) => a.id)).toEqual(['users']);
    expect((await fetch(`${system.url}/api/v1/admin/apps`, { headers: { authorization: `ApiKey ${userKey}` } })).status).toBe(403);
  });

  describe('templates', () => {
    it('creates, renames, lists and deletes, refusing a duplicate name and unknown apps', async () => {
      const created = await admin('POST', '/admin/templates', { name: 'Office', apps: ['chat'] }, 201);
      expect(created.body).toMatchObject({ name: 'Office', domain: 'example.com', apps: ['chat'] });
      expect((await admin('POST', '/admin/templates', { name: 'Office' })).body.error.code).toBe('template_exists');
      const unknown = await admin('POST', '/admin/templates', { name: 'Lab', apps: ['nope'] });
      expect(unknown.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'apps', unknown: ['nope'] } });

      const renamed = await admin('PATCH', `/admin/templates/${created.body.id}`, { name: 'Head office' }, 200);
      expect(renamed.body).toMatchObject({ name: 'Head office', apps: ['chat'] });
      expect((await admin('GET', `/admin/templates/${created.body.id}`, undefined, 200)).body.name).toBe('Head office');
      expect((await admin('GET', '/admin/templates', undefined, 200)).body.total).toBe(1);

      await admin('DELETE', `/admin/templates/${created.body.id}`, undefined, 200);
      expect((await admin('GET', `/admin/templates/${created.body.id}`)).status).toBe(404);
    });

    it('deleting a template takes its apps from its members and tells their sockets', async () => {
      const template = await admin('POST', '/admin/templates', { name: 'Chatters', apps: ['chat'] }, 201);
      await admin('POST', '/admin/users', { username: 'carl', password: GOOD_PASSWORD, templates: ['Chatters'] }, 201);
      const token = await tokenFor(system, 'carl');
      expect((await me(system, token, 'GET', '/apps')).body.apps.map((a: { id: string }) => a.id)).toEqual(['chat']);
      const socket = await authedSocket(system.url, token);

      await admin('DELETE', `/admin/templates/${template.body.id}`, undefined, 200);

      await socket.next('apps.changed');
      expect((await me(system, token, 'GET', '/apps')).body.apps).toEqual([]);
      socket.ws.close();
    });
  });

  describe('users', () => {
    it('reads, changes and deletes a user; a new password works at once', async () => {
      const created = await admin('POST', '/admin/users', { username: 'uma', password: GOOD_PASSWORD, language: 'de' }, 201);
      const id = created.body.id;
      expect(created.body).toMatchObject({
        username: 'uma',
        language: 'de',
        admin: false,
        email: null,
        templates: [],
        apps: [],
        devices: [],
      });

      const patched = await admin(
        'PATCH',
        `/admin/users/${id}`,
        { displayName: 'Uma U.', email: 'uma@example.com', password: NEW_PASSWORD, apps: ['users'] },
        200,
      );
      expect(patched.body).toMatchObject({ displayName: 'Uma U.', email: 'uma@example.com', apps: ['users'] });
      expect((await admin('GET', `/admin/users/${id}`, undefined, 200)).body.displayName).toBe('Uma U.');
      await expect(tokenFor(system, 'uma')).rejects.toThrow();
      const session = await login(system, 'uma', NEW_PASSWORD);
      expect(session.status).toBe(200);
      expect((await admin('GET', `/admin/users/${id}/sessions`, undefined, 200)).body.sessions).toHaveLength(1);
      expect((await admin('PATCH', `/admin/users/${id}`, { email: null }, 200)).body.email).toBeNull();

      await admin('DELETE', `/admin/users/${id}`, undefined, 200);
      expect((await admin('GET', `/admin/users/${id}`)).status).toBe(404);
      expect((await admin('DELETE', `/admin/users/${id}`)).status).toBe(404);
    });

    it('refuses a duplicate name, a weak password (leaving no user behind) and a bad language', async () => {
      expect((await admin('POST', '/admin/users', { username: 'sam' })).body.error.code).toBe('user_exists');
      const weak = await admin('POST', '/admin/users', { username: 'wendy', password: 'abc' });
      expect(weak.status).toBe(422);
      expect(weak.body.error.code).toBe('weak_password');
      expect((await admin('GET', '/admin/users?q=wendy', undefined, 200)).body.total).toBe(0);
      const language = await admin('POST', '/admin/users', { username: 'lara', language: 'xx' });
      expect(language.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'language' } });
    });

    it('searches and pages users', async () => {
      const all = await admin('GET', '/admin/users?limit=200', undefined, 200);
      const names = all.body.items.map((u: { username: string }) => u.username);
      expect(names).toEqual([...names].sort());
      expect(all.body.total).toBe(names.length);
      const page = await admin('GET', '/admin/users?limit=1&offset=1', undefined, 200);
      expect(page.body.items[0].username).toBe(names[1]);
      expect((await admin('GET', '/admin/users?q=SAM', undefined, 200)).body.items.map((u: { username: string }) => u.username)).toEqual([
        'sam',
      ]);
    });

    it('finds users by the start of their name, email or display name, ignoring case, not by a part inside', async () => {
      await admin('POST', '/admin/users', { username: 'quinn.ray', email: 'QRay@Mail.example.com', displayName: 'Rayna Quill' }, 201);
      const found = async (q: string) =>
        (await admin('GET', `/admin/users?q=${encodeURIComponent(q)}`, undefined, 200)).body.items.map(
          (u: { username: string }) => u.username,
        );
      expect(await found('QUINN')).toEqual(['quinn.ray']);
      expect(await found('qray@mail')).toEqual(['quinn.ray']);
      expect(await found('rayna q')).toEqual(['quinn.ray']);
      expect(await found('inn')).toEqual([]); // inside the name, not at the start of any of the three
      expect(await found('quinn_')).toEqual([]); // LIKE's wildcards are plain characters here
      expect(await found('%ray')).toEqual([]);
      // A page past the last match still says how many there are.
      expect((await admin('GET', '/admin/users?q=quinn&offset=5', undefined, 200)).body).toMatchObject({ items: [], total: 1 });
      expect((await admin('GET', '/admin/users?q=quinn', undefined, 200)).body).toMatchObject({ total: 1 });
    });

    it('takes /admin from a demoted admin at once, on the tokens they already hold', async () => {
      const vic = await admin('POST', '/admin/users', { username: 'vic', admin: true, password: GOOD_PASSWORD }, 201);
      const asVic = adminApi(system, await tokenFor(system, 'vic'));
      expect((await asVic('GET', '/admin/users?limit=1')).status).toBe(200);
      await admin('PATCH', `/admin/users/${vic.body.id}`, { admin: false }, 200);
      await waitFor(async () => (await asVic('GET', '/admin/users?limit=1')).status === 403, { timeoutMs: 5000 });
      expect((await asVic('GET', '/admin/apps')).body.error.code).toBe('forbidden');
    });

    it('an admin cannot delete themselves or drop their own admin flag', async () => {
      const self = (await admin('GET', '/admin/users?q=root', undefined, 200)).body.items[0];
      expect((await admin('DELETE', `/admin/users/${self.id}`)).status).toBe(403);
      expect((await admin('PATCH', `/admin/users/${self.id}`, { admin: false })).status).toBe(403);
    });
  });

  describe('domains', () => {
    let boss: ReturnType<typeof adminApi>;

    beforeAll(async () => {
      await admin('POST', '/admin/users', { username: 'boss', domain: 'other.example', admin: true, password: GOOD_PASSWORD }, 201);
      boss = adminApi(system, await tokenFor(system, 'boss@other.example'));
    });

    it("gives an admin of another domain only that domain's objects", async () => {
      const app = await boss('POST', '/admin/apps', { id: 'chat', name: 'Their chat', url: 'https://other.example/chat' }, 201);
      expect(app.body.domain).toBe('other.example');
      expect((await boss('GET', '/admin/apps', undefined, 200)).body.items.map((a: { name: string }) => a.name)).toEqual(['Their chat']);
      expect((await boss('GET', '/admin/apps?domain=example.com')).status).toBe(403);
      const sam = (await admin('GET', '/admin/users?q=sam', undefined, 200)).body.items[0];
      expect((await boss('GET', `/admin/users/${sam.id}`)).status).toBe(404);
      expect((await boss('PATCH', `/admin/users/${sam.id}`, { displayName: 'x' })).status).toBe(404);
      expect((await boss('POST', '/admin/users', { username: 'x', domain: 'example.com' })).status).toBe(403);
    });

    it('grants only apps of the user’s own domain', async () => {
      await admin('POST', '/admin/apps', { id: 'only-here', name: 'Only here', url: 'https://apps.example.com/only' }, 201);
      const response = await boss('POST', '/admin/users', { username: 'otto', apps: ['only-here'] });
      expect(response.body.error).toMatchObject({ code: 'validation_failed', details: { unknown: ['only-here'] } });
    });
  });

  describe('myApps client settings', () => {
    it('starts empty, keeps what the admin deploys, and hands it to clients', async () => {
      expect((await admin('GET', '/admin/config/myapps', undefined, 200)).body).toEqual({
        defaults: {},
        resetPasswordPage: null,
        editProfileApp: null,
      });
      const settings = {
        defaults: { theme: 'dark', language: 'de' },
        resetPasswordPage: 'https://pbx.example.com/reset',
        editProfileApp: 'users',
      };
      expect((await admin('PUT', '/admin/config/myapps', settings, 200)).body).toEqual(settings);
      expect((await admin('PUT', '/admin/config/myapps', { resetPasswordPage: null }, 200)).body).toEqual({
        ...settings,
        resetPasswordPage: null,
      });

      await admin('POST', '/admin/users', { username: 'pia', password: GOOD_PASSWORD, apps: ['users'] }, 201);
      const withApp = await me(system, await tokenFor(system, 'pia'), 'GET', '/client-config');
      expect(withApp.status).toBe(200);
      expect(withApp.body).toMatchObject({
        defaults: { theme: 'dark' },
        resetPasswordPage: null,
        editProfileApp: 'users',
        editProfile: { id: 'users', htmlUrl: 'https://apps.example.com/users.htm' },
      });
      const without = await me(system, await tokenFor(system, 'sam'), 'GET', '/client-config');
      expect(without.body).toMatchObject({ editProfileApp: 'users', editProfile: null });
    });

    it('refuses a bad link, a bad app id and unknown settings', async () => {
      expect((await admin('PUT', '/admin/config/myapps', { resetPasswordPage: 'javascript:alert(1)' })).body.error).toMatchObject({
        code: 'validation_failed',
      });
      expect((await admin('PUT', '/admin/config/myapps', { editProfileApp: 'a b' })).body.error.code).toBe('validation_failed');
      expect((await admin('PUT', '/admin/config/myapps', { colour: 'red' })).body.error.code).toBe('unknown_field');
    });
  });
});
