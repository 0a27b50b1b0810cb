/**
 * Tries the app runtime by hand (README "Apps inside the client"): starts the contacts app on
 * http://127.0.0.2:4102 and the phone apps on http://127.0.0.3:4103, registers them in Gatehouse
 * (apps `contacts`, `phone` with the websocket flag, `softphone`) and grants them to a user.
 *
 *   GATEHOUSE_URL=http://localhost:3000 ADMIN_USERNAME=root ADMIN_PASSWORD=... EXAMPLE_USER=root \
 *     node -r @swc-node/register examples/start.ts
 */
import { randomBytes } from 'node:crypto';
import { startContactsApp } from './contacts/server';
import { startPhoneApp } from './phone/server';

const gatehouseUrl = process.env.GATEHOUSE_URL ?? 'http://localhost:3000';

async function request(method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const response = await fetch(`${gatehouseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return json;
}

async function main(): Promise<void> {
  const username = process.env.ADMIN_USERNAME;
  const password = process.env.ADMIN_PASSWORD;
  if (!username || !password) throw new Error('Set ADMIN_USERNAME and ADMIN_PASSWORD (an administrator of Gatehouse)');
  const login = await request('POST', '/auth/login', undefined, {
    username,
    password,
    device: { name: 'examples/start.ts', platform: 'node' },
  });
  if (login.status !== 'active')
    throw new Error('The administrator login needs approval: approve it, or turn two-factor off for the trial');
  const token: string = login.accessToken;
  const domain: string = login.user?.domain ?? (await request('GET', '/me', token)).domain;
  const secrets = {
    contacts: randomBytes(24).toString('base64url'),
    phone: randomBytes(24).toString('base64url'),
    softphone: randomBytes(24).toString('base64url'),
  };
  const apps = [
    { id: 'contacts', name: 'Contacts', url: 'http://127.0.0.2:4102/contacts', secret: secrets.contacts },
    { id: 'phone', name: 'Phone', url: 'http://127.0.0.3:4103/phone', secret: secrets.phone, apis: ['phone'], websocket: true },
    { id: 'softphone', name: 'Softphone', url: 'http://127.0.0.3:4103/softphone', secret: secrets.softphone, apis: ['phone'] },
  ];
  for (const app of apps) {
    // New secrets on every start: the servers below hold them in memory only.
    try {
      await request('POST', '/admin/apps', token, app);
    } catch {
      const { id, ...change } = app;
      await request('PATCH', `/admin/apps/${id}`, token, change);
    }
  }
  const grantee = process.env.EXAMPLE_USER ?? username;
  const { items } = await request('GET', `/admin/users?q=${encodeURIComponent(grantee)}`, token);
  const user = items.find((candidate: { username: string }) => candidate.username === grantee);
  if (!user) throw new Error(`No user ${grantee}`);
  await request('PATCH', `/admin/users/${user.id}`, token, { apps: [...new Set([...(user.apps ?? []), ...apps.map((app) => app.id)])] });

  const contacts = await startContactsApp({ gatehouseUrl, domain, secret: secrets.contacts, host: '127.0.0.2', port: 4102 });
  const phones = await startPhoneApp({
    gatehouseUrl,
    domain,
    host: '127.0.0.3',
    port: 4103,
    phones: {
      phone: { appId: 'phone', secret: secrets.phone, websocket: true },
      softphone: { appId: 'softphone', secret: secrets.softphone },
    },
  });
  console.log(
    `contacts on ${contacts.url}, phones on ${phones.url}; granted to ${grantee}. Open ${gatehouseUrl}/ and sign in. Ctrl+C ends.`,
  );
  setInterval(() => {
    for (const { app, event } of phones.events.splice(0)) console.log(`app socket ${app}:`, JSON.stringify(event));
  }, 1000);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
