import { randomUUID } from 'node:crypto';
import { PrismaClient, createPrismaClient } from '@gatehouse/db';
import type { Clock, IntervalScheduler, Logger } from '@gatehouse/platform';
import { TestEnv, createTestEnv } from '@gatehouse/testing';
import { loadSessionsConfig } from '../config';
import { EndedSession, SessionsRepository } from '../sessions/sessions.repository';
import type { SessionsService } from '../sessions/sessions.service';
import { ExpirySweeper } from './expiry-sweeper.service';

/** The sweep against PostgreSQL: several statements' batches, their ends announced together, each once. */
describe('ExpirySweeper, against PostgreSQL', () => {
  let env: TestEnv;
  let prisma: PrismaClient;

  beforeAll(async () => {
    env = await createTestEnv();
    prisma = createPrismaClient({ url: env.databaseUrl, poolSize: 2 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await env?.cleanup();
  });

  const addSessions = async (count: number, expiresAt: Date): Promise<string[]> => {
    const ids = Array.from({ length: count }, () => randomUUID());
    const at = new Date(expiresAt.getTime() - 86_400_000);
    await prisma.session.createMany({
      data: ids.map((id) => ({
        id,
        userId: randomUUID(),
        domain: 'example.com',
        username: 'swept',
        admin: false,
        external: false,
        passwordHash: 'x',
        deviceName: 'Phone',
        devicePlatform: 'ios',
        application: 'default',
        createdAt: at,
        lastUsedAt: at,
        expiresAt,
      })),
    });
    await prisma.accessToken.createMany({
      data: ids.map((id) => ({ tokenHash: `hash-${id}`, sessionId: id, createdAt: at, expiresAt })),
    });
    return ids;
  };

  const sweeperAt = (now: Date, batchSize: number, announced: { ended: EndedSession[]; reason: string }[]) =>
    new ExpirySweeper(
      {} as IntervalScheduler,
      new SessionsRepository(prisma),
      { finish: async (ended: EndedSession[], reason: string) => void announced.push({ ended, reason }) } as unknown as SessionsService,
      { now: () => now } as Clock,
      loadSessionsConfig({ ...env.env, SESSIONS_SWEEP_BATCH_SIZE: String(batchSize), SESSIONS_SWEEP_PAUSE_PERCENT: '0' }),
      { info: () => undefined } as unknown as Logger,
    );

  it('deletes in batches of SESSIONS_SWEEP_BATCH_SIZE and announces their ends in one message, with their tokens', async () => {
    const now = new Date();
    const expired = await addSessions(120, new Date(now.getTime() - 60_000));
    const live = await addSessions(3, new Date(now.getTime() + 3_600_000));
    const announced: { ended: EndedSession[]; reason: string }[] = [];
    const sweeper = sweeperAt(now, 50, announced);

    expect(await sweeper.sweep()).toBe(120);
    expect(announced).toHaveLength(1);
    expect(announced[0].reason).toBe('expired');
    expect(announced[0].ended.map((session) => session.id).sort()).toEqual([...expired].sort());
    expect(announced[0].ended.every((session) => session.tokenHashes.length === 1)).toBe(true);
    const left = await prisma.session.findMany({ select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([...live].sort());
    expect(await prisma.accessToken.count({ where: { sessionId: { in: expired } } })).toBe(0);
  });

  it('ends each expired session once when two sweeps (two replicas) overlap', async () => {
    const now = new Date();
    const expired = await addSessions(300, new Date(now.getTime() - 60_000));
    const announced: { ended: EndedSession[]; reason: string }[] = [];
    const counts = await Promise.all([sweeperAt(now, 10, announced).sweep(), sweeperAt(now, 10, announced).sweep()]);
    expect(counts[0] + counts[1]).toBe(300);
    const ids = announced.flatMap(({ ended }) => ended.map((session) => session.id));
    expect(ids).toHaveLength(300);
    expect(ids.sort()).toEqual([...expired].sort());
    expect(await prisma.session.count({ where: { id: { in: expired } } })).toBe(0);
  });
});
