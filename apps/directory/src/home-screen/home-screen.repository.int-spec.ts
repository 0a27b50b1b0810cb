import { PrismaClient, createPrismaClient } from '@gatehouse/db';
import { TestEnv, createTestEnv } from '@gatehouse/testing';
import { isTaken, UsersRepository } from '../users/users.repository';
import { UserAppsRepository } from '../user-apps/user-apps.repository';
import { HomeScreenRepository } from './home-screen.repository';

/** HomeScreenRepository.saveRaw (the write before `homescreen.changed`) against PostgreSQL: its prepared statements. */
describe('HomeScreenRepository.saveRaw, against PostgreSQL', () => {
  let env: TestEnv;
  let prisma: PrismaClient;
  let users: UsersRepository;
  let screens: HomeScreenRepository;
  let userApps: UserAppsRepository;

  const createUser = async (domain: string, username: string, grants?: Parameters<UsersRepository['create']>[1]) => {
    const row = await users.create({ domain, username }, grants);
    if (isTaken(row)) throw new Error(`${username} is taken`);
    return row;
  };
  const newApp = (domain: string, appId: string, deviceApp = false) =>
    prisma.app.create({ data: { domain, appId, secretEncrypted: 'x', url: 'https://apps.example', deviceApp } });

  beforeAll(async () => {
    env = await createTestEnv();
    // One connection: each statement is prepared on it by the first write and reused by the later ones.
    prisma = createPrismaClient({ url: env.databaseUrl, poolSize: 1 });
    users = new UsersRepository(prisma);
    screens = new HomeScreenRepository(prisma);
    userApps = new UserAppsRepository(prisma);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await env?.cleanup();
  });

  it('writes the string and answers the domain and the apps the user may run, by the one rule', async () => {
    const chat = await newApp('save.example', 'chat');
    const wiki = await newApp('save.example', 'wiki');
    const phone = await newApp('save.example', 'phone', true);
    // A device app granted without a device assignment is not usable; one assigned to a device is.
    const fax = await newApp('save.example', 'fax', true);
    const template = await prisma.template.create({ data: { domain: 'save.example', name: 'Staff' } });
    await prisma.templateAppGrant.create({ data: { templateId: template.id, appId: wiki.id } });
    const user = await createUser('save.example', 'gia', {
      templateIds: [template.id],
      appIds: [chat.id, fax.id],
      devices: [{ device: 'desk', appId: phone.id }],
    });

    for (const raw of [':Apps chat,wiki', ':Apps chat,wiki,phone']) {
      const saved = await screens.saveRaw(user.id, raw);
      expect(saved).toEqual({ domain: 'save.example', usableAppIds: expect.any(Array) as string[] });
      expect([...saved!.usableAppIds].sort()).toEqual(['chat', 'phone', 'wiki']);
      expect(new Set(saved!.usableAppIds)).toEqual(
        (await userApps.usable(user.id))!.apps.reduce((ids, app) => ids.add(app.appId), new Set()),
      );
      expect(await screens.findRaw(user.id)).toBe(raw);
    }
  });

  it('answers no apps as an empty list', async () => {
    const user = await createUser('empty.example', 'hal');
    expect(await screens.saveRaw(user.id, ':Apps chat')).toEqual({ domain: 'empty.example', usableAppIds: [] });
  });

  it('writes nothing for another domain or an unknown user, and writes in the user’s own domain', async () => {
    const user = await createUser('scope.example', 'ida');
    await screens.saveRaw(user.id, ':Apps before');

    expect(await screens.saveRaw(user.id, ':Apps other', 'other.example')).toBeNull();
    expect(await screens.findRaw(user.id)).toBe(':Apps before');
    expect(await screens.saveRaw('00000000-0000-4000-8000-000000000000', ':Apps nobody')).toBeNull();

    for (const raw of [':Apps mine', ':Apps mine again'])
      expect(await screens.saveRaw(user.id, raw, 'scope.example')).toEqual({ domain: 'scope.example', usableAppIds: [] });
    expect(await screens.findRaw(user.id, 'scope.example')).toBe(':Apps mine again');
  });
});
