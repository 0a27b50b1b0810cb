import { PrismaClient, createPrismaClient } from '@gatehouse/db';
import { TestEnv, createTestEnv } from '@gatehouse/testing';
import { toListedUserDetails, toUser } from './user.mapper';
import { LIST_STATEMENTS, NewUser, UsersRepository, isTaken } from './users.repository';

/** The admin list (UsersRepository.list) against PostgreSQL: its totals, kept by the database, and its prefix search. */
describe('UsersRepository.list, against PostgreSQL', () => {
  let env: TestEnv;
  let prisma: PrismaClient;
  let users: UsersRepository;

  const create = async (user: NewUser) => {
    const row = await users.create(user);
    if (isTaken(row)) throw new Error(`${user.username} is taken`);
    return row;
  };
  const names = async (domain: string, q?: string, offset = 0, limit = 50) =>
    (await users.list(domain, offset, limit, q)).rows.map((row) => row.username);
  const total = async (domain: string, q?: string) => (await users.list(domain, 0, 1, q)).total;

  beforeAll(async () => {
    env = await createTestEnv();
    // One connection: the statements prepared on it are those pg_prepared_statements lists below.
    prisma = createPrismaClient({ url: env.databaseUrl, poolSize: 1 });
    users = new UsersRepository(prisma);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await env?.cleanup();
  });

  it('keeps the total exact as users are created, deleted and moved to another domain', async () => {
    expect(await users.list('count.example', 0, 50)).toEqual({ rows: [], total: 0 });
    const created = [];
    for (const username of ['cat', 'ada', 'bob', 'dan']) created.push(await create({ domain: 'count.example', username }));
    expect(await users.list('count.example', 0, 2)).toMatchObject({ total: 4, rows: [{ username: 'ada' }, { username: 'bob' }] });

    await users.delete(created[0].id);
    expect(await total('count.example')).toBe(3);
    // A page past the end still says how many there are.
    expect(await users.list('count.example', 10, 50)).toEqual({ rows: [], total: 3 });

    // No write path moves a user between domains; the database counts it whoever does.
    await prisma.user.update({ where: { id: created[1].id }, data: { domain: 'moved.example' } });
    expect(await total('count.example')).toBe(2);
    expect(await users.list('moved.example', 0, 50)).toMatchObject({ total: 1, rows: [{ username: 'ada' }] });
    await users.delete(created[1].id, 'moved.example');
    expect(await users.list('moved.example', 0, 50)).toEqual({ rows: [], total: 0 });
    expect(await names('count.example')).toEqual(['bob', 'dan']);
  });

  it('lists each user with their permissions', async () => {
    const newApp = (appId: string, deviceApp: boolean) =>
      prisma.app.create({ data: { domain: 'grants.example', appId, secretEncrypted: 'x', url: 'https://apps.example', deviceApp } });
    const app = await newApp('mail', true);
    const other = await newApp('chat', false);
    const template = await prisma.template.create({ data: { domain: 'grants.example', name: 'Staff' } });
    const granted = await users.create(
      { domain: 'grants.example', username: 'gia' },
      { templateIds: [template.id], appIds: [app.id, other.id], devices: [{ device: 'desk', appId: app.id }] },
    );
    await create({ domain: 'grants.example', username: 'hal' });
    expect(isTaken(granted)).toBe(false);

    const { rows } = await users.list('grants.example', 0, 50);
    expect(rows).toEqual([
      expect.objectContaining({
        username: 'gia',
        templates: ['Staff'],
        apps: expect.arrayContaining(['mail', 'chat']) as string[],
        devices: [{ device: 'desk', app: 'mail' }],
      }),
      expect.objectContaining({ username: 'hal', templates: [], apps: [], devices: [] }),
    ]);
    expect(rows[0].apps).toHaveLength(2);
  });

  it('finds users by a prefix of their name, display name or email, ignoring case, in name order', async () => {
    await create({ domain: 'search.example', username: 'sam.smith', displayName: 'Samuel Smith', email: 'sam@mail.example' });
    await create({ domain: 'search.example', username: 'quinn', displayName: 'Sandra Quinn', email: 'q@mail.example' });
    await create({ domain: 'search.example', username: 'zoe', displayName: 'Zoe', email: 'SAMANTHA@mail.example' });
    await create({ domain: 'search.example', username: 'ulla', displayName: 'Ulla Åsa' });
    await create({ domain: 'search.example', username: 'x_y%z', displayName: 'Percent' });
    await create({ domain: 'elsewhere.example', username: 'sam' });

    expect(await names('search.example', 'SAM')).toEqual(['sam.smith', 'zoe']);
    expect(await total('search.example', 'sa')).toBe(3);
    expect(await names('search.example', 'sa', 1, 1)).toEqual(['sam.smith']);
    expect(await names('search.example', 'ulla å')).toEqual(['ulla']);
    // LIKE's wildcards and escape are plain characters of a prefix.
    expect(await names('search.example', 'x_y%')).toEqual(['x_y%z']);
    expect(await names('search.example', 'x%')).toEqual([]);
    expect(await names('search.example', '\\')).toEqual([]);
    // Past the last match: the total alone.
    expect(await users.list('search.example', 5, 50, 'sa')).toEqual({ rows: [], total: 3 });
    expect(await users.list('search.example', 0, 50, 'nobody')).toEqual({ rows: [], total: 0 });
  });

  it('finds a prefix that ends in the last code point, or is made of it alone', async () => {
    const last = String.fromCodePoint(0x10ffff);
    await create({ domain: 'edge.example', username: 'edge1', displayName: `a${last}${last}b` });
    await create({ domain: 'edge.example', username: 'edge2', displayName: `${last}${last}` });
    await create({ domain: 'edge.example', username: 'edge3', displayName: 'b' });

    expect(await names('edge.example', `a${last}`)).toEqual(['edge1']);
    expect(await names('edge.example', last)).toEqual(['edge2']);
    expect(await users.list('edge.example', 1, 50, last)).toEqual({ rows: [], total: 1 });
  });

  it('answers the creation time as the user itself says it, whatever the session time zone', async () => {
    const times = ['2026-12-06T12:34:56.700Z', '2026-12-06T23:59:59.000Z', '2026-03-29T01:30:00.012Z'];
    for (const [i, createdAt] of times.entries()) {
      const { id } = await create({ domain: 'time.example', username: `t${i}` });
      await prisma.user.update({ where: { id }, data: { createdAt: new Date(createdAt) } });
    }
    const listed = async () => (await users.list('time.example', 0, 50)).rows.map((row) => toListedUserDetails(row).createdAt);
    expect(await listed()).toEqual(times);
    // One connection (poolSize 1): the list runs in this time zone, where a timestamp's text would carry another day.
    await prisma.$executeRawUnsafe(`SET TIME ZONE 'Pacific/Kiritimati'`);
    try {
      expect(await listed()).toEqual(times);
      expect((await users.list('time.example', 0, 50, 't')).rows.map((row) => toListedUserDetails(row).createdAt)).toEqual(times);
    } finally {
      await prisma.$executeRawUnsafe(`RESET TIME ZONE`);
    }
    const row = await users.findById((await users.list('time.example', 0, 1)).rows[0].id);
    expect(toUser(row!).createdAt).toBe(times[0]);
  });

  it("runs its statements prepared, on Prisma's own connection", async () => {
    await users.list('count.example', 0, 50);
    await users.list('count.example', 0, 50, 'b');
    const prepared = await prisma.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements ORDER BY name`;
    expect(prepared.map((p) => p.name)).toEqual(expect.arrayContaining([LIST_STATEMENTS.page.name, LIST_STATEMENTS.search.page.name]));
  });
});
