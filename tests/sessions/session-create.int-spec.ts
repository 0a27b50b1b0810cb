import { randomUUID } from 'node:crypto';
import { PrismaClient, createPrismaClient } from '@gatehouse/db';
import { TestEnv, createTestEnv } from '@gatehouse/testing';
import { NewSession, SessionsRepository } from '../../apps/sessions/src/sessions/sessions.repository';

describe('SessionsRepository.createWithToken against PostgreSQL', () => {
  let env: TestEnv;
  let prisma: PrismaClient;
  let sessions: SessionsRepository;
  const userId = randomUUID();
  const now = new Date('2026-11-24T12:00:00.000Z');
  const session = (deviceName: string): NewSession => ({
    userId,
    domain: 'example.com',
    username: 'alice',
    admin: false,
    external: false,
    passwordHash: 'a'.repeat(64),
    deviceName,
    devicePlatform: 'node',
    application: 'default',
    subid: null,
    ip: '127.0.0.1',
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
  });

  beforeAll(async () => {
    env = await createTestEnv();
    prisma = createPrismaClient({ url: env.databaseUrl, poolSize: 2 });
    sessions = new SessionsRepository(prisma);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await env?.cleanup();
  });

  it('writes the session and its first token together and returns the row as stored', async () => {
    const row = await sessions.createWithToken(session('laptop'), {
      tokenHash: 'b'.repeat(64),
      expiresAt: new Date(now.getTime() + 3_600_000),
    });
    expect(row).toMatchObject({ ...session('laptop'), id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(await sessions.findToken('b'.repeat(64))).toMatchObject({ sessionId: row.id, session: { id: row.id } });
  });

  it('leaves no half-made session when the token cannot be written', async () => {
    // the same token hash again: its INSERT fails, and the session of the same statement goes with it
    await expect(sessions.createWithToken(session('phone'), { tokenHash: 'b'.repeat(64), expiresAt: now })).rejects.toThrow();
    expect((await sessions.listLive(userId, now)).map((s) => s.deviceName)).toEqual(['laptop']);
  });
});
