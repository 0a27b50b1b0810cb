import { Client } from 'pg';
import { NatsClient } from '@gatehouse/platform';
import { SmtpSink, waitFor } from '@gatehouse/testing';
import { MailerSubjects } from '@gatehouse/contracts';
import { createPrismaClient } from '@gatehouse/db';
import { MailerConfig } from '../../apps/mailer/src/config';
import { MailLogRepository } from '../../apps/mailer/src/queue/mail-log.repository';
import { startTestSystem, TestSystem } from '../support/system';

describe('mailer queue', () => {
  let system: TestSystem;
  let nats: NatsClient;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    system = await startTestSystem({ MAILER_RETRY_BACKOFF_MS: '50', MAILER_RETRY_ATTEMPTS: '30' });
    nats = system.gateway.get(NatsClient, { strict: false });
    await nats.send(MailerSubjects.configSet, {
      actor: { kind: 'system', service: 'test' },
      config: sink.mailerConfig({ verificationLink: 'https://login.gatehouse.test/api/v1' }),
    });
  });
  afterAll(async () => {
    await system?.stop();
    await sink?.stop();
  });

  const mail = (to: string, idempotencyKey: string) =>
    nats.send(MailerSubjects.mailSend, {
      kind: 'newDevice',
      to,
      language: 'en',
      data: { displayName: 'Alice', device: '<b>Phone</b>', ip: '192.0.2.1', time: '2026-11-24T00:00:00.000Z' },
      idempotencyKey,
    });

  it('refuses data that does not fit the kind of mail', async () => {
    await expect(
      nats.send(MailerSubjects.mailSend, {
        kind: 'passwordReset',
        to: 'x@example.test',
        language: 'en',
        data: { displayName: 'X' },
        idempotencyKey: 'k-x',
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('delivers a queued mail with text and HTML parts, escaping values in the HTML', async () => {
    await mail('alice@example.test', 'k-alice');
    await waitFor(() => sink.messagesTo('alice@example.test').length === 1);
    const [message] = sink.messagesTo('alice@example.test');
    expect(message?.text).toContain('<b>Phone</b>');
    expect(message?.html).toContain('&lt;b&gt;Phone&lt;/b&gt;');
  });

  it('sends one mail for the same idempotency key enqueued twice', async () => {
    await mail('bob@example.test', 'k-bob');
    await waitFor(() => sink.messagesTo('bob@example.test').length === 1);
    await mail('bob@example.test', 'k-bob');
    await mail('carol@example.test', 'k-carol'); // a later mail proves the queue moved past the duplicate
    await waitFor(() => sink.messagesTo('carol@example.test').length === 1);
    expect(sink.messagesTo('bob@example.test')).toHaveLength(1);
  });

  it('sends a burst of mails several at a time over the pool, each exactly once, and logs each as sent on its first attempt', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k-burst-${i}`);
    await Promise.all(keys.map((key, i) => mail(`burst${i}@example.test`, key)));
    await waitFor(() => keys.every((_, i) => sink.messagesTo(`burst${i}@example.test`).length === 1), { timeoutMs: 15_000 });
    const pg = new Client({ connectionString: system.testEnv.databaseUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query('SELECT status, attempts FROM mailer."MailLog" WHERE "idempotencyKey" = ANY($1)', [keys]);
      expect(rows).toHaveLength(40);
      expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    } finally {
      await pg.end();
    }
    keys.forEach((_, i) => expect(sink.messagesTo(`burst${i}@example.test`)).toHaveLength(1));
  });

  it('records the mails starting and finishing in one turn with one statement: a key twice starts once, a key already sent never', async () => {
    const url = String(system.testEnv.env.DATABASE_URL);
    const prisma = createPrismaClient({ url, poolSize: 1 });
    const log = new MailLogRepository(prisma, { DATABASE_URL: url } as MailerConfig);
    const entry = (idempotencyKey: string) => ({
      idempotencyKey,
      kind: 'test',
      recipient: 'log@example.test',
      language: 'en',
      now: new Date(),
    });
    try {
      await expect(Promise.all([log.begin(entry('k-log-1')), log.begin(entry('k-log-1')), log.begin(entry('k-log-2'))])).resolves.toEqual([
        true,
        false,
        true,
      ]);
      await Promise.all([log.markSent('k-log-1', '250 queued', new Date()), log.markFailed('k-log-2', 'lost')]);
      // a retry of a sent mail does not start; one that failed starts again and counts its second attempt
      await expect(Promise.all([log.begin(entry('k-log-1')), log.begin(entry('k-log-3'))])).resolves.toEqual([false, true]);
      await expect(log.find('k-log-1')).resolves.toMatchObject({
        status: 'sent',
        attempts: 1,
        smtpResponse: '250 queued',
        lastError: null,
      });
      await expect(log.find('k-log-2')).resolves.toMatchObject({ status: 'failed', attempts: 1, lastError: 'lost' });
      await expect(log.begin(entry('k-log-2'))).resolves.toBe(true);
      await expect(log.find('k-log-2')).resolves.toMatchObject({ status: 'sending', attempts: 2 });
      // starts and finishes of one turn share a statement; a key that starts as it is marked sent may not send
      await expect(log.begin(entry('k-log-4'))).resolves.toBe(true);
      await expect(
        Promise.all([log.markSent('k-log-4', '250 ok', new Date()), log.begin(entry('k-log-4')), log.begin(entry('k-log-5'))]),
      ).resolves.toEqual([undefined, false, true]);
      await expect(log.find('k-log-4')).resolves.toMatchObject({ status: 'sent', attempts: 1, smtpResponse: '250 ok' });
      await expect(log.find('k-log-5')).resolves.toMatchObject({ status: 'sending', attempts: 1 });
    } finally {
      await log.onApplicationShutdown();
      await prisma.$disconnect();
    }
  });

  it('sends the next mail through a changed SMTP account at once', async () => {
    const other = await SmtpSink.start();
    const setSink = (target: SmtpSink) =>
      nats.send(MailerSubjects.configSet, {
        actor: { kind: 'system', service: 'test' },
        config: target.mailerConfig({ verificationLink: 'https://login.gatehouse.test/api/v1' }),
      });
    try {
      await mail('frank@example.test', 'k-frank'); // the pool to the first server is open
      await waitFor(() => sink.messagesTo('frank@example.test').length === 1);
      await setSink(other);
      await mail('grace@example.test', 'k-grace');
      await waitFor(() => other.messagesTo('grace@example.test').length === 1);
      expect(sink.messagesTo('grace@example.test')).toHaveLength(0);
      await setSink(sink);
      await mail('heidi@example.test', 'k-heidi'); // and back: this also closes the pool to the other server
      await waitFor(() => sink.messagesTo('heidi@example.test').length === 1);
      expect(other.messagesTo('heidi@example.test')).toHaveLength(0);
    } finally {
      await setSink(sink);
      await other.stop();
    }
  });

  it('keeps a mail while the SMTP server is down and delivers it exactly once when it returns', async () => {
    await sink.stop();
    await mail('dave@example.test', 'k-dave');
    const pg = new Client({ connectionString: system.testEnv.databaseUrl });
    await pg.connect();
    const attempts = async () =>
      (await pg.query('SELECT attempts, status FROM mailer."MailLog" WHERE "idempotencyKey" = $1', ['k-dave'])).rows[0];
    try {
      // a second attempt failed too: BullMQ retried while the server was down
      await waitFor(async () => {
        const row = await attempts();
        return row?.attempts >= 2 && row?.status === 'failed';
      });
    } finally {
      await pg.end();
    }
    await sink.start();
    await waitFor(() => sink.messagesTo('dave@example.test').length === 1, { timeoutMs: 10_000 });
    await mail('erin@example.test', 'k-erin');
    await waitFor(() => sink.messagesTo('erin@example.test').length === 1);
    expect(sink.messagesTo('dave@example.test')).toHaveLength(1);
  });
});
