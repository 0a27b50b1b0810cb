import { Pool } from 'pg';
import { PrismaClient, createPrismaClient } from '@gatehouse/db';
import { TestEnv, createTestEnv } from '@gatehouse/testing';
import type { MailerConfig } from '../config';
import { MailLogRepository } from './mail-log.repository';

/** The mail log's hot writes (a mail starting, a mail sent) against PostgreSQL: what each answer guarantees. */
describe('MailLogRepository, against PostgreSQL', () => {
  let env: TestEnv;
  let prisma: PrismaClient;
  let log: MailLogRepository;
  let reader: Pool;

  const entry = (idempotencyKey: string) => ({
    idempotencyKey,
    kind: 'newDevice',
    recipient: 'ann@example.test',
    language: 'en',
    now: new Date(),
  });
  /** The row as another connection sees it: what is committed. */
  const row = async (key: string) =>
    (await reader.query('SELECT status, attempts, "smtpResponse" FROM mailer."MailLog" WHERE "idempotencyKey" = $1', [key])).rows[0] as
      { status: string; attempts: number; smtpResponse: string | null } | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    prisma = createPrismaClient({ url: env.databaseUrl, poolSize: 1 });
    log = new MailLogRepository(prisma, { DATABASE_URL: env.databaseUrl } as MailerConfig);
    reader = new Pool({ connectionString: env.databaseUrl, max: 1 });
  });
  afterAll(async () => {
    await log?.onApplicationShutdown();
    await reader?.end();
    await prisma?.$disconnect();
    await env?.cleanup();
  });

  it('has a start committed when begin answers and "sent" when markSent answers; a sent key does not start again', async () => {
    await expect(log.begin(entry('k-ann'))).resolves.toBe(true);
    expect(await row('k-ann')).toEqual({ status: 'sending', attempts: 1, smtpResponse: null });
    await expect(log.begin(entry('k-ann'))).resolves.toBe(true); // a retry before it was sent: counted
    expect(await row('k-ann')).toMatchObject({ status: 'sending', attempts: 2 });

    await log.markSent('k-ann', '250 2.0.0 Ok: queued', new Date());
    expect(await row('k-ann')).toEqual({ status: 'sent', attempts: 2, smtpResponse: '250 2.0.0 Ok: queued' });
    await expect(log.begin(entry('k-ann'))).resolves.toBe(false);
    expect(await row('k-ann')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('lets only the first of two starts of one key in the same statement send', async () => {
    await expect(Promise.all([log.begin(entry('k-bob')), log.begin(entry('k-bob'))])).resolves.toEqual([true, false]);
    expect(await row('k-bob')).toMatchObject({ status: 'sending', attempts: 1 });
  });
});
