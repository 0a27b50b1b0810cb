import { Client } from 'pg';
import { NatsClient } from '@gatehouse/platform';
import { SmtpSink, waitFor } from '@gatehouse/testing';
import { MailerSubjects } from '@gatehouse/contracts';
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
