import { NatsClient } from '@gatehouse/platform';
import { DirectorySubjects, HomeScreenSubjects } from '@gatehouse/contracts';
import { startTestSystem, TestSystem } from '../support/system';

const SEED_EXAMPLE = ':Apps,chat,users,::Contacts,users?id=jdo#d=John%20Doe&s=jdo';

describe('home screen over NATS', () => {
  let system: TestSystem;
  let client: NatsClient;
  let userId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    client = new NatsClient(system.testEnv.env.NATS_URL!, 'test-client', 5000);
    const { user } = await client.send(DirectorySubjects.userCreate, { domain: 'example.com', username: 'jdo' });
    userId = user.id;
  });
  afterAll(async () => {
    await client.close();
    await system.stop();
  });

  it('stores the seed example byte for byte and reports its groups', async () => {
    const saved = await client.send(HomeScreenSubjects.homeScreenSet, { userId, raw: SEED_EXAMPLE });
    expect(saved.raw).toBe(SEED_EXAMPLE);
    expect(saved.groups.map((group) => [group.name, group.collapsed, group.items.length])).toEqual([
      ['Apps', false, 2],
      ['Contacts', true, 1],
    ]);
  });

  it('leaves out items of apps the user has no permission for when reading', async () => {
    // no grants exist yet, so every item is dropped while the groups remain
    const shown = await client.send(HomeScreenSubjects.homeScreenGet, { userId });
    expect(shown.raw).toBe(':Apps,::Contacts');
  });

  it('refuses 8 KB + 1 byte and a malformed string', async () => {
    await expect(client.send(HomeScreenSubjects.homeScreenSet, { userId, raw: `:${'a'.repeat(8192)}` })).rejects.toMatchObject({
      code: 'homescreen_too_large',
    });
    await expect(client.send(HomeScreenSubjects.homeScreenSet, { userId, raw: 'chat,,users' })).rejects.toMatchObject({
      code: 'homescreen_malformed',
    });
  });

  it('accepts the structured form and serialises it', async () => {
    const saved = await client.send(HomeScreenSubjects.homeScreenSet, {
      userId,
      groups: [{ name: 'Work', collapsed: true, items: [{ app: 'chat', query: 'a=1' }] }],
    });
    expect(saved.raw).toBe('::Work,chat?a=1');
  });
});
