import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { createPrismaClient, queryPrepared } from './index';

const NOWHERE = 'postgres://nobody@127.0.0.1:1/none';

describe('queryPrepared', () => {
  const statement = { name: 'test.one', text: 'SELECT 1 AS one' };

  it('needs a client of createPrismaClient (whose pool it uses)', async () => {
    const raw = new PrismaClient({ adapter: new PrismaPg({ connectionString: NOWHERE }) });
    await expect(queryPrepared(raw, statement, [])).rejects.toThrow('createPrismaClient');
  });

  it('is closed with the client, even when Prisma itself never connected', async () => {
    const client = createPrismaClient({ url: NOWHERE, poolSize: 1 });
    await client.$disconnect();
    await expect(queryPrepared(client, statement, [])).rejects.toThrow(/after calling end/);
    await client.$disconnect(); // twice: no error
  });
});
