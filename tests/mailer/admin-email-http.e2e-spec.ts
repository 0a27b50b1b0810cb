import { SmtpSink } from '@gatehouse/testing';
import { bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

describe('admin email config over HTTP', () => {
  let system: TestSystem;
  let sink: SmtpSink;
  let admin: Record<string, string>;
  let user: Record<string, string>;

  beforeAll(async () => {
    sink = await SmtpSink.start({ auth: { username: 'mailer', password: 'smtp-secret' } });
    system = await startTestSystem();
    await createUser(system, { username: 'root', admin: true });
    await createUser(system, { username: 'carol' });
    admin = bearer((await login(system, 'root')).body.accessToken);
    user = bearer((await login(system, 'carol')).body.accessToken);
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

  it('refuses the email config endpoints without credentials, and to users who are not admins', async () => {
    expect((await api(system, 'GET', '/api/v1/admin/config/email')).status).toBe(401);
    expect((await api(system, 'POST', '/api/v1/admin/config/email/test', { body: { to: 'a@example.test' } })).status).toBe(401);
    const forbidden = await api(system, 'PUT', '/api/v1/admin/config/email', { body: config('x'), headers: user });
    expect(forbidden.status).toBe(403);
  });

  it('lets an admin write the SMTP config and read it back without the password', async () => {
    const put = await api(system, 'PUT', '/api/v1/admin/config/email', { body: config('smtp-secret'), headers: admin });
    expect(put.status).toBe(200);
    const got = await api(system, 'GET', '/api/v1/admin/config/email', { headers: admin });
    expect(got.body.config).toMatchObject({ host: sink.host, port: sink.port, username: 'mailer', passwordSet: true });
    expect(JSON.stringify(got.body)).not.toContain('smtp-secret');
  });

  it('refuses unknown fields and bad values with a code', async () => {
    const unknown = await api(system, 'PUT', '/api/v1/admin/config/email', { body: { ...config(), relay: 'yes' }, headers: admin });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_field', message: expect.stringContaining('relay') });
    const badPort = await api(system, 'PUT', '/api/v1/admin/config/email', { body: { ...config(), port: 70_000 }, headers: admin });
    expect(badPort.status).toBe(400);
    expect(badPort.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('port') });
  });

  it('sends a test mail, and reports the SMTP server refusing the login', async () => {
    await api(system, 'PUT', '/api/v1/admin/config/email', { body: config('smtp-secret'), headers: admin });
    const sent = await api(system, 'POST', '/api/v1/admin/config/email/test', {
      body: { to: 'ops@example.test', language: 'en' },
      headers: admin,
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, response: expect.stringMatching(/^250/) });
    expect(sink.messagesTo('ops@example.test')).toHaveLength(1);

    await api(system, 'PUT', '/api/v1/admin/config/email', { body: config('wrong-password'), headers: admin });
    const refused = await api(system, 'POST', '/api/v1/admin/config/email/test', {
      body: { to: 'ops@example.test', language: 'en' },
      headers: admin,
    });
    // The stage, not the server's own text (that is in the mailer log): see tests/security/outbound-and-federation.
    expect(refused.body).toEqual({
      ok: false,
      code: 'mail_failed',
      reason: 'authentication',
      message: 'The SMTP server refused the username or password',
    });
  });
});
