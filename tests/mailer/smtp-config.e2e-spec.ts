import { Client } from 'pg';
import { NatsClient } from '@gatehouse/platform';
import { SmtpSink } from '@gatehouse/testing';
import { MailerSubjects } from '@gatehouse/contracts';
import { startTestSystem, TestSystem } from '../support/system';

describe('mailer SMTP configuration and test mail', () => {
  let system: TestSystem;
  let nats: NatsClient;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await SmtpSink.start({ auth: { username: 'mailer', password: 'smtp-secret' } });
    system = await startTestSystem();
    nats = system.gateway.get(NatsClient, { strict: false });
  });
  afterAll(async () => {
    await system?.stop();
    await sink?.stop();
  });

  const config = (password?: string) =>
    sink.mailerConfig({
      username: 'mailer',
      ...(password === undefined ? {} : { password }),
      verificationLink: 'https://login.gatehouse.test/api/v1',
    });

  it('never returns the SMTP password and stores it encrypted', async () => {
    const set = await nats.send(MailerSubjects.configSet, { actor: { kind: 'system', service: 'test' }, config: config('smtp-secret') });
    expect(set.config).toMatchObject({ host: sink.host, passwordSet: true });
    const got = await nats.send(MailerSubjects.configGet, { actor: { kind: 'system', service: 'test' } });
    expect(JSON.stringify(got)).not.toContain('smtp-secret');
    expect(got.config).toMatchObject({ username: 'mailer', passwordSet: true });

    const pg = new Client({ connectionString: system.testEnv.databaseUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query('SELECT "passwordEncrypted" FROM mailer."SmtpAccount"');
      expect(rows).toHaveLength(1);
      expect(rows[0].passwordEncrypted).toEqual(expect.any(String));
      expect(rows[0].passwordEncrypted).not.toContain('smtp-secret');
    } finally {
      await pg.end();
    }
  });

  it('delivers a test mail from "senderName <address>" with the configured EHLO name', async () => {
    await nats.send(MailerSubjects.configSet, { actor: { kind: 'system', service: 'test' }, config: config() }); // omitted password keeps the stored one
    const result = await nats.send(MailerSubjects.testSend, {
      actor: { kind: 'system', service: 'test' },
      to: 'admin@example.test',
      language: 'en',
    });
    expect(result).toMatchObject({ ok: true, response: expect.stringMatching(/^250/) });
    expect(sink.messagesTo('admin@example.test')).toEqual([
      expect.objectContaining({ from: 'noreply@gatehouse.test', clientHostname: 'mail.gatehouse.test' }),
    ]);
    expect(sink.messagesTo('admin@example.test')[0]?.raw).toContain('From: Gatehouse <noreply@gatehouse.test>');
  });

  it("writes the test mail in the administrator's language, from the same templates as the other mails", async () => {
    await nats.send(MailerSubjects.configSet, { actor: { kind: 'system', service: 'test' }, config: config() });
    const result = await nats.send(MailerSubjects.testSend, {
      actor: { kind: 'system', service: 'test' },
      to: 'chef@example.test',
      language: 'de',
    });
    expect(result).toMatchObject({ ok: true });
    const [mail] = sink.messagesTo('chef@example.test');
    expect(mail).toMatchObject({ subject: 'Gatehouse-Testmail', text: expect.stringContaining('Die SMTP-Einstellungen funktionieren') });
    expect(mail?.html).toContain('<!doctype html>');
  });

  it('reports an SMTP authentication failure as such, with the server answer in the log only', async () => {
    await nats.send(MailerSubjects.configSet, { actor: { kind: 'system', service: 'test' }, config: config('wrong-password') });
    const result = await nats.send(MailerSubjects.testSend, {
      actor: { kind: 'system', service: 'test' },
      to: 'admin@example.test',
      language: 'en',
    });
    expect(result).toEqual({ ok: false, code: 'mail_failed', reason: 'authentication', message: expect.not.stringContaining('535') });
  });
});
