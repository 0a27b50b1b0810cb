import { randomUUID } from 'node:crypto';
import { PrismaClient, createPrismaClient } from '@gatehouse/db';
import { AppError } from '@gatehouse/errors';
import { TestEnv, createTestEnv } from '@gatehouse/testing';
import { TemplatesRepository } from '../../apps/directory/src/templates/templates.repository';
import { UsersRepository, isTaken } from '../../apps/directory/src/users/users.repository';

/**
 * An app deleted between the check of a change and its write (an admin deleting it at that moment):
 * the grant's foreign key fails. The write below names an app row that no longer exists, as it
 * would after that race, and must be refused with `conflict`, leaving nothing half-written.
 */
describe('a grant to an app deleted meanwhile, against PostgreSQL', () => {
  let env: TestEnv;
  let prisma: PrismaClient;
  let users: UsersRepository;
  let templates: TemplatesRepository;
  const gone = randomUUID();

  const conflict = expect.objectContaining({ code: 'conflict' }) as unknown as AppError;

  beforeAll(async () => {
    env = await createTestEnv();
    prisma = createPrismaClient({ url: env.databaseUrl, poolSize: 2 });
    users = new UsersRepository(prisma);
    templates = new TemplatesRepository(prisma);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await env?.cleanup();
  });

  it('refuses a new user with conflict and creates no user', async () => {
    await expect(users.create({ domain: 'example.com', username: 'racer' }, { appIds: [gone] })).rejects.toEqual(conflict);
    expect(await prisma.user.count({ where: { username: 'racer' } })).toBe(0);
  });

  it('refuses a user change with conflict and keeps the user as it was', async () => {
    const user = await users.create({ domain: 'example.com', username: 'steady', displayName: 'Before' });
    if (isTaken(user)) throw new Error('the name is free in a fresh database');
    await expect(
      users.update('example.com', user.id, { displayName: 'After' }, { devices: [{ device: 'phone', appId: gone }] }),
    ).rejects.toEqual(conflict);
    expect((await prisma.user.findUnique({ where: { id: user.id } }))?.displayName).toBe('Before');
  });

  it('refuses a template with conflict, new or changed', async () => {
    await expect(templates.create('example.com', 'Racing', [gone])).rejects.toEqual(conflict);
    expect(await prisma.template.count({ where: { name: 'Racing' } })).toBe(0);
    const template = (await templates.create('example.com', 'Calm', []))!;
    await expect(templates.update('example.com', template.id, { name: 'Calmer', appRowIds: [gone] })).rejects.toEqual(conflict);
    expect((await prisma.template.findUnique({ where: { id: template.id } }))?.name).toBe('Calm');
  });
});
