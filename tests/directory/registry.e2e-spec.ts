import fc from 'fast-check';
import type { INestApplication } from '@nestjs/common';
import { verifyAppLoginDigest } from '@gatehouse/app-login';
import { createLogger } from '@gatehouse/platform';
import { homeScreenArbitrary, homeScreenLikeString } from '../../apps/directory/src/home-screen/home-screen.arbitraries';
import { serializeHomeScreen } from '../../apps/directory/src/home-screen/home-screen.parser';
import { bootstrapGateway } from '../../apps/gateway/src/bootstrap';
import { loadGatewayConfig } from '../../apps/gateway/src/config';
import { startTestSystem, TestSystem } from '../support/system';
import { authedSocket } from '../sessions/ws-client';
import { adminApi, adminToken, GOOD_PASSWORD, me, tokenFor } from './support';

const SEED_EXAMPLE = ':Apps,chat,users,::Contacts,users?id=jdo#d=John%20Doe&s=jdo';

describe('app registry through the gateway', () => {
  let system: TestSystem;
  let admin: ReturnType<typeof adminApi>;

  beforeAll(async () => {
    system = await startTestSystem();
    admin = adminApi(system, await adminToken(system));
    await admin(
      'POST',
      '/admin/apps',
      { id: 'chat', name: 'Chat', url: 'https://apps.example.com/chat/chat', secret: 'chat-secret', apis: ['com.example.chat'] },
      201,
    );
    await admin(
      'POST',
      '/admin/apps',
      { id: 'users', name: 'Users', url: 'https://apps.example.com/users/users', secret: 'users-secret' },
      201,
    );
    await admin(
      'POST',
      '/admin/apps',
      { id: 'presence', name: 'Presence', url: 'https://apps.example.com/presence', hidden: true, apis: ['com.example.presence'] },
      201,
    );
    await admin(
      'POST',
      '/admin/apps',
      { id: 'softphone', name: 'Softphone', url: 'https://apps.example.com/phone', deviceApp: true, apis: ['com.example.phone'] },
      201,
    );
    await admin('POST', '/admin/apps', { id: 'reports', name: 'Reports', url: 'https://apps.example.com/reports' }, 201);
    await admin('POST', '/admin/templates', { name: 'Staff', apps: ['users', 'presence'] }, 201);
  });
  afterAll(() => system.stop());

  it('describes the registry routes and their bodies in the OpenAPI document', async () => {
    const response = await fetch(`${system.url}/api/docs-json`);
    const document: any = await response.json();
    for (const path of [
      '/api/v1/me',
      '/api/v1/me/apps',
      '/api/v1/me/homescreen',
      '/api/v1/me/apps/{appId}/login',
      '/api/v1/admin/apps',
      '/api/v1/admin/users/{id}',
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    const appBody = document.paths['/api/v1/admin/apps'].post.requestBody.content['application/json'].schema;
    expect(appBody.required).toEqual(['id', 'name', 'url']);
    expect(Object.keys(document.paths['/api/v1/me/homescreen'].put.requestBody.content['application/json'].schema.properties)).toEqual([
      'raw',
      'groups',
    ]);
  });

  describe('app objects', () => {
    it('derives the page and icon from the base URL and never returns the shared secret', async () => {
      const { body } = await admin('GET', '/admin/apps/chat', undefined, 200);
      expect(body).toMatchObject({
        id: 'chat',
        domain: 'example.com',
        name: 'Chat',
        htmlUrl: 'https://apps.example.com/chat/chat.htm',
        iconUrl: 'https://apps.example.com/chat/chat.png',
        hidden: false,
        plainWebsite: false,
        websocket: false,
        apis: ['com.example.chat'],
        secretSet: true,
      });
      expect(JSON.stringify(body)).not.toContain('chat-secret');
    });

    it('lets an app id repeat across domains but not within one', async () => {
      const again = await admin('POST', '/admin/apps', { id: 'chat', name: 'Chat 2', url: 'https://other.example.com/chat' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('app_exists');

      const elsewhere = await admin('POST', '/admin/apps', {
        id: 'chat',
        name: 'Chat',
        url: 'https://other.example.com/chat',
        domain: 'other.example',
      });
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.body.domain).toBe('other.example');
      expect((await admin('GET', '/admin/apps/chat?domain=other.example', undefined, 200)).body.url).toBe('https://other.example.com/chat');
    });
  });

  describe('permissions', () => {
    let token: string;

    beforeAll(async () => {
      const created = await admin(
        'POST',
        '/admin/users',
        {
          username: 'jdo',
          displayName: 'John Doe',
          email: 'jdo@example.com',
          password: GOOD_PASSWORD,
          templates: ['Staff'],
          apps: ['chat', 'softphone'],
        },
        201,
      );
      expect(created.body).toMatchObject({
        username: 'jdo',
        domain: 'example.com',
        sipUri: 'sip:jdo@example.com',
        templates: ['Staff'],
        apps: ['chat', 'softphone'],
      });
      token = await tokenFor(system, 'jdo');
    });

    it('answers the profile on GET /me', async () => {
      const { status, body } = await me(system, token, 'GET', '');
      expect(status).toBe(200);
      expect(body).toMatchObject({
        username: 'jdo',
        domain: 'example.com',
        displayName: 'John Doe',
        email: 'jdo@example.com',
        language: 'en',
        sipUri: 'sip:jdo@example.com',
      });
    });

    it('combines a template grant and a direct grant, and leaves out hidden apps', async () => {
      const { status, body } = await me(system, token, 'GET', '/apps');
      expect(status).toBe(200);
      expect(body.apps.map((app: { id: string }) => app.id).sort()).toEqual(['chat', 'users']);
      expect(body.apps.find((app: { id: string }) => app.id === 'chat')).toMatchObject({
        htmlUrl: 'https://apps.example.com/chat/chat.htm',
        apis: ['com.example.chat'],
      });
    });

    it('lists an app granted both directly and through a template once', async () => {
      const userId = (await me(system, token, 'GET', '')).body.id;
      await admin('PATCH', `/admin/users/${userId}`, { apps: ['chat', 'softphone', 'users'] }, 200);
      const ids = (await me(system, token, 'GET', '/apps')).body.apps.map((app: { id: string }) => app.id);
      expect(ids.sort()).toEqual(['chat', 'users']);
      await admin('PATCH', `/admin/users/${userId}`, { apps: ['chat', 'softphone'] }, 200);
    });

    it('counts a hidden app as an API provider', async () => {
      const { status, body } = await me(system, token, 'GET', '/api-providers/com.example.presence');
      expect(status).toBe(200);
      expect(body.apps.map((app: { id: string }) => app.id)).toEqual(['presence']);
      expect((await me(system, token, 'GET', '/api-providers/com.example.nothing')).body.apps).toEqual([]);
    });

    it('shows a phone app only once it is assigned to a device, and tells the sockets', async () => {
      const userId = (await me(system, token, 'GET', '')).body.id;
      expect((await me(system, token, 'GET', '/api-providers/com.example.phone')).body.apps).toEqual([]);
      const socket = await authedSocket(system.url, token);

      await admin('PATCH', `/admin/users/${userId}`, { devices: [{ device: 'desk phone', app: 'softphone' }] }, 200);

      await socket.next('apps.changed');
      // The admin list carries each user's templates, apps and device apps (one statement with the page, issue 23).
      const listed = (await admin('GET', '/admin/users?q=jdo', undefined, 200)).body.items;
      expect(listed).toEqual([
        expect.objectContaining({
          username: 'jdo',
          templates: ['Staff'],
          apps: ['chat', 'softphone'],
          devices: [{ device: 'desk phone', app: 'softphone' }],
        }),
      ]);
      // The list's rows are the user as GET /admin/users/:id answers (two mappers: the list's flat JSON columns, Prisma's include).
      expect(listed[0]).toEqual((await admin('GET', `/admin/users/${userId}`, undefined, 200)).body);
      const { body } = await me(system, token, 'GET', '/apps');
      expect(body.apps.find((app: { id: string }) => app.id === 'softphone')).toMatchObject({ deviceApp: true, devices: ['desk phone'] });
      expect((await me(system, token, 'GET', '/api-providers/com.example.phone')).body.apps.map((a: { id: string }) => a.id)).toEqual([
        'softphone',
      ]);
      socket.ws.close();
    });

    it('refuses to assign an app that is not a phone app to a device', async () => {
      const userId = (await me(system, token, 'GET', '')).body.id;
      const response = await admin('PATCH', `/admin/users/${userId}`, { devices: [{ device: 'desk phone', app: 'chat' }] });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'devices' } });
    });

    it('refuses grants of unknown apps and templates without making the user', async () => {
      const response = await admin('POST', '/admin/users', { username: 'ghost', apps: ['nope'] });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'apps', unknown: ['nope'] } });
      const template = await admin('POST', '/admin/users', { username: 'ghost', templates: ['Nope'] });
      expect(template.body.error.details).toMatchObject({ field: 'templates', unknown: ['Nope'] });
      expect((await admin('GET', '/admin/users?q=ghost', undefined, 200)).body.total).toBe(0);
    });

    it('takes an app away when the template loses it, and pushes apps.changed to its members', async () => {
      const templates = (await admin('GET', '/admin/templates', undefined, 200)).body.items;
      const staff = templates.find((t: { name: string }) => t.name === 'Staff');
      const socket = await authedSocket(system.url, token);

      await admin('PATCH', `/admin/templates/${staff.id}`, { apps: ['presence'] }, 200);

      await socket.next('apps.changed');
      expect((await me(system, token, 'GET', '/apps')).body.apps.map((a: { id: string }) => a.id).sort()).toEqual(['chat', 'softphone']);
      await admin('PATCH', `/admin/templates/${staff.id}`, { apps: ['users', 'presence'] }, 200);
      socket.ws.close();
    });

    it('signs an app login digest that verifies with the shipped function, and only with the right secret and challenge', async () => {
      const { status, body } = await me(system, token, 'POST', '/apps/chat/login', { challenge: 'c-4711' });
      expect(status).toBe(200);
      expect(body).toMatchObject({ app: 'chat', domain: 'example.com', user: 'jdo@example.com', challenge: 'c-4711' });
      const fields = { appId: 'chat', domain: 'example.com', user: 'jdo@example.com', challenge: 'c-4711' };
      expect(verifyAppLoginDigest('chat-secret', fields, body.digest)).toBe(true);
      expect(verifyAppLoginDigest('wrong-secret', fields, body.digest)).toBe(false);
      expect(verifyAppLoginDigest('chat-secret', { ...fields, challenge: 'c-4712' }, body.digest)).toBe(false);
    });

    it('refuses an app login for an app the user may not run, and one without a shared secret', async () => {
      expect((await me(system, token, 'POST', '/apps/reports/login', { challenge: 'x' })).status).toBe(404);
      const noSecret = await me(system, token, 'POST', '/apps/presence/login', { challenge: 'x' });
      expect(noSecret.status).toBe(422);
    });

    it('keeps non-admins out of /admin', async () => {
      for (const path of ['/admin/apps', '/admin/users', '/admin/templates', '/admin/config/myapps']) {
        const response = await fetch(`${system.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(403);
      }
    });
  });

  describe('home screen', () => {
    let first: string;
    let second: string;

    beforeAll(async () => {
      await admin('POST', '/admin/users', { username: 'ann', password: GOOD_PASSWORD, apps: ['chat', 'users'] }, 201);
      first = await tokenFor(system, 'ann');
      second = await tokenFor(system, 'ann');
    });

    it('parses the seed example into its groups and items and serialises it back byte for byte', async () => {
      const put = await me(system, first, 'PUT', '/homescreen', { raw: SEED_EXAMPLE });
      expect(put.status).toBe(200);
      const { body } = await me(system, first, 'GET', '/homescreen');
      expect(body.raw).toBe(SEED_EXAMPLE);
      expect(body.groups).toEqual([
        { name: 'Apps', collapsed: false, items: [{ app: 'chat' }, { app: 'users' }] },
        { name: 'Contacts', collapsed: true, items: [{ app: 'users', query: 'id=jdo', fragment: 'd=John%20Doe&s=jdo' }] },
      ]);
    });

    it('accepts the structured form and answers the raw string', async () => {
      const groups = [{ name: 'Work', collapsed: false, items: [{ app: 'chat', query: 'room=1' }] }];
      const { status, body } = await me(system, first, 'PUT', '/homescreen', { groups });
      expect(status).toBe(200);
      expect(body.raw).toBe(':Work,chat?room=1');
    });

    it('pushes a change to the other session’s WebSocket', async () => {
      const socket = await authedSocket(system.url, second);
      await me(system, first, 'PUT', '/homescreen', { raw: ':Apps,chat' });
      const message = await socket.next('homescreen.changed');
      expect(message).toMatchObject({ raw: ':Apps,chat', groups: [{ name: 'Apps', collapsed: false, items: [{ app: 'chat' }] }] });
      socket.ws.close();
    });

    it('refuses 8 KB + 1 byte with 422 homescreen_too_large and malformed input with homescreen_malformed', async () => {
      const tooLarge = await me(system, first, 'PUT', '/homescreen', { raw: `:${'a'.repeat(8192)}` });
      expect(tooLarge.status).toBe(422);
      expect(tooLarge.body.error.code).toBe('homescreen_too_large');
      const wayTooLarge = await me(system, first, 'PUT', '/homescreen', { raw: `:${'a'.repeat(65_000)}` });
      expect(wayTooLarge.body.error.code).toBe('homescreen_too_large');
      const tooManyGroups = await me(system, first, 'PUT', '/homescreen', {
        groups: Array.from({ length: 500 }, (_, i) => ({ name: `group-${i}-abcdefghij`, collapsed: false, items: [] })),
      });
      expect(tooManyGroups.body.error.code).toBe('homescreen_too_large');
      const exact = await me(system, first, 'PUT', '/homescreen', { raw: `:${'a'.repeat(8191)}` });
      expect(exact.status).toBe(200);
      const malformed = await me(system, first, 'PUT', '/homescreen', { raw: 'chat,,users' });
      expect(malformed.status).toBe(422);
      expect(malformed.body.error.code).toBe('homescreen_malformed');
      const both = await me(system, first, 'PUT', '/homescreen', { raw: 'chat', groups: [] });
      expect(both.status).toBe(400);
    });

    it('drops items of apps the user lost from what GET shows, while the admin sees the stored string', async () => {
      const userId = (await me(system, first, 'GET', '')).body.id;
      await me(system, first, 'PUT', '/homescreen', { raw: SEED_EXAMPLE });
      await admin('PATCH', `/admin/users/${userId}`, { apps: ['chat'] }, 200);

      expect((await me(system, first, 'GET', '/homescreen')).body.raw).toBe(':Apps,chat,::Contacts');
      expect((await admin('GET', `/admin/users/${userId}/homescreen`, undefined, 200)).body.raw).toBe(SEED_EXAMPLE);
    });

    it('reaches a socket held by another gateway replica', async () => {
      const other: INestApplication = await bootstrapGateway(loadGatewayConfig(system.testEnv.env), {
        logger: createLogger({ service: 'gateway-b', level: 'silent' }),
        clock: system.clock,
      });
      try {
        const otherUrl = (await other.getUrl()).replace('[::1]', '127.0.0.1');
        const socket = await authedSocket(otherUrl, second);
        await me(system, first, 'PUT', '/homescreen', { raw: '::Elsewhere,chat' });
        expect((await socket.next('homescreen.changed')).raw).toBe('::Elsewhere,chat');
        socket.ws.close();
      } finally {
        await other.close();
      }
    });

    it('round-trips generated home screens through the API, and answers arbitrary strings with 200 or 422, never a crash', async () => {
      await fc.assert(
        fc.asyncProperty(homeScreenArbitrary, async (generated) => {
          const raw = serializeHomeScreen(generated);
          const byGroups = await me(system, first, 'PUT', '/homescreen', { groups: generated.groups });
          expect(byGroups.status).toBe(200);
          expect(byGroups.body.raw).toBe(raw);
          const byRaw = await me(system, first, 'PUT', '/homescreen', { raw });
          expect(byRaw.body).toEqual({ raw, groups: generated.groups });
        }),
        { numRuns: 25 },
      );
      await fc.assert(
        fc.asyncProperty(homeScreenLikeString, async (raw) => {
          const response = await me(system, first, 'PUT', '/homescreen', { raw });
          expect([200, 422]).toContain(response.status);
          if (response.status === 200) expect(response.body.raw).toBe(raw);
          else expect(['homescreen_malformed', 'homescreen_too_large']).toContain(response.body.error.code);
        }),
        { numRuns: 50 },
      );
    });

    it('lets the admin set a user’s home screen, and the user’s sockets hear it', async () => {
      const userId = (await me(system, first, 'GET', '')).body.id;
      const socket = await authedSocket(system.url, second);
      await admin('PUT', `/admin/users/${userId}/homescreen`, { raw: '::Mine,chat' }, 200);
      expect((await socket.next('homescreen.changed')).raw).toBe('::Mine,chat');
      socket.ws.close();
    });

    // The write answers the user's apps in its own statement (issue 23): they must be those GET filters by.
    it('pushes the items GET shows: apps granted directly or by a template, phone apps on a device, nothing else', async () => {
      const userId = (await me(system, first, 'GET', '')).body.id;
      const raw = ':Apps,chat,users,presence,softphone,reports,nosuch';
      const pushed = async () => {
        const socket = await authedSocket(system.url, second);
        try {
          expect((await me(system, first, 'PUT', '/homescreen', { raw })).status).toBe(200);
          return (await socket.next('homescreen.changed')).raw as string;
        } finally {
          socket.ws.close();
        }
      };
      try {
        await admin(
          'PATCH',
          `/admin/users/${userId}`,
          { apps: ['chat'], templates: ['Staff'], devices: [{ device: 'desk phone', app: 'softphone' }] },
          200,
        );
        expect(await pushed()).toBe(':Apps,chat,users,presence,softphone');
        expect((await me(system, first, 'GET', '/homescreen')).body.raw).toBe(':Apps,chat,users,presence,softphone');

        // a phone app granted directly is not usable without a device; a template of the user's keeps its apps
        await admin('PATCH', `/admin/users/${userId}`, { apps: ['softphone'], templates: ['Staff'], devices: [] }, 200);
        expect(await pushed()).toBe(':Apps,users,presence');
        expect((await me(system, first, 'GET', '/homescreen')).body.raw).toBe(':Apps,users,presence');

        await admin('PATCH', `/admin/users/${userId}`, { apps: [], templates: [], devices: [] }, 200);
        expect(await pushed()).toBe(':Apps');
      } finally {
        await admin('PATCH', `/admin/users/${userId}`, { apps: ['chat', 'users'], templates: [], devices: [] }, 200);
      }
    });
  });
});
