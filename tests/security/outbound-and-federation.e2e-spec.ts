import { spawnSync } from 'node:child_process';
import { createServer as createHttpServer, Server as HttpServer } from 'node:http';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { Metrics, NatsClient } from '@gatehouse/platform';
import { freePort, SmtpSink, TestOidcProvider, waitFor } from '@gatehouse/testing';
import { MailerSubjects, AuthSettingsSubjects, FederationSubjects } from '@gatehouse/contracts';
import { loadMailerConfig } from '../../apps/mailer/src/config';
import { bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

/** Issue 15, findings 4 (admin settings as a network probe), 9 (OIDC account linking) and 10 (the development key). */
const SYSTEM = { kind: 'system', service: 'test' } as const;
const LINK = 'https://login.gatehouse.test/api/v1';
const root = join(__dirname, '..', '..');

const listen = async <S extends Server | HttpServer>(server: S): Promise<S> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const portOf = (server: Server | HttpServer) => (server.address() as { port: number }).port;
const close = (server?: Server | HttpServer) =>
  new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });

/** Another internal service that answers every connection with its own banner, as SSH or a database does. */
const BANNER = 'SSH-2.0-OpenSSH_9.6 internal-banner-7f3a';
const bannerServer = () =>
  listen(
    createServer((socket) => {
      socket.on('error', () => undefined);
      socket.resume(); // reads the client's end too, so the server can close
      socket.end(`${BANNER}\r\n`);
    }),
  );

describe('outbound connections with the default policy: loopback and private addresses refused', () => {
  let system: TestSystem;
  let admin: Record<string, string>;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    // '' = no network allowed beyond the public internet, as in production without OUTBOUND_ALLOWED_NETWORKS.
    system = await startTestSystem({ OUTBOUND_ALLOWED_NETWORKS: '', LOG_LEVEL: 'info' });
    await createUser(system, { username: 'root', admin: true });
    admin = bearer((await login(system, 'root')).body.accessToken);
  });
  afterAll(async () => {
    await system?.stop();
    await sink?.stop();
  });

  const smtp = (host: string) => ({ ...sink.mailerConfig({ verificationLink: LINK }), host });

  it('an SMTP host on a private address is refused', async () => {
    for (const host of [
      '127.0.0.1',
      'localhost',
      '10.1.2.3',
      '172.16.0.9',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '::',
      '::ffff:127.0.0.1',
      'fd00::1',
      'fe80::1',
    ]) {
      const answer = await api(system, 'PUT', '/api/v1/admin/config/email', { body: smtp(host), headers: admin });
      expect([host, answer.status, answer.body.error]).toEqual([
        host,
        422,
        expect.objectContaining({ code: 'outbound_not_allowed', details: { field: 'host' } }),
      ]);
    }
    expect((await api(system, 'GET', '/api/v1/admin/config/email', { headers: admin })).body.config).toBeNull();
  });

  it('an SMTP host that resolves to loopback by the time a mail is sent is refused at the connection too', async () => {
    // As if the name had resolved to a public address when it was saved (DNS rebinding): the row is written directly.
    const pg = new Client({ connectionString: system.testEnv.databaseUrl });
    await pg.connect();
    try {
      await pg.query(
        `INSERT INTO mailer."SmtpAccount" (domain, host, port, secure, "clientHostName", "senderName", address, "verificationLink", "updatedAt")
         VALUES ('', 'localhost', $1, false, '', 'Gatehouse', 'noreply@gatehouse.test', $2, now())`,
        [sink.port, LINK],
      );
    } finally {
      await pg.end();
    }
    const answer = await api(system, 'POST', '/api/v1/admin/config/email/test', { body: { to: 'ops@example.test' }, headers: admin });
    expect(answer.body).toMatchObject({ ok: false, code: 'mail_failed', reason: 'address_not_allowed' });
    expect(sink.messagesTo('ops@example.test')).toHaveLength(0);
  });

  it('an LDAP URL on loopback is refused unless allowed', async () => {
    for (const url of ['ldap://127.0.0.1:389', 'ldaps://localhost', 'ldap://[::1]:389', 'ldap://169.254.169.254']) {
      const answer = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
        body: {
          netlogon: {
            url,
            domain: 'corp.example',
            bindMode: 'upn',
            searchBase: null,
            serviceDn: null,
            timeoutMs: 2000,
            allowPlainLdap: true,
          },
        },
        headers: admin,
      });
      expect([url, answer.status, answer.body.error]).toEqual([
        url,
        422,
        expect.objectContaining({ code: 'outbound_not_allowed', details: { field: 'netlogon.url' } }),
      ]);
    }
  });

  it('an OIDC issuer on a private address is refused before anything is fetched', async () => {
    const http = await listen(createHttpServer((_request, response) => response.end('{}')));
    try {
      const answer = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
        body: {
          oidc: {
            issuer: `http://127.0.0.1:${portOf(http)}`,
            clientId: 'x',
            redirectUri: `${system.url}/api/v1/auth/oauth2/callback`,
            allowedOrigins: [],
            providerName: '',
            oauth2Domain: null,
          },
        },
        headers: admin,
      });
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'outbound_not_allowed', details: { field: 'oidc.issuer' } });
    } finally {
      await close(http);
    }
  });

  it('the development key is named in a warning at start, by every service that seals secrets', () => {
    const warned = system.logs.where({ event: 'config.development_key', level: 'warn' }).map((line) => line.service);
    expect(warned).toEqual(expect.arrayContaining(['directory', 'federation', 'mailer']));
    expect(new Set(warned).size).toBe(warned.length);
  });
});

describe('outbound connections to allowed networks (the test peers on loopback)', () => {
  let system: TestSystem;
  let nats: NatsClient;
  let admin: Record<string, string>;

  beforeAll(async () => {
    // Two quick attempts per mail, so a mail that cannot be sent is given up within the test.
    system = await startTestSystem({ LOG_LEVEL: 'info', MAILER_RETRY_ATTEMPTS: '2', MAILER_RETRY_BACKOFF_MS: '50' });
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'root', admin: true });
    admin = bearer((await login(system, 'root')).body.accessToken);
  });
  afterAll(() => system?.stop());

  it('an LDAP URL on loopback is accepted once OUTBOUND_ALLOWED_NETWORKS allows it', async () => {
    const answer = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
      body: {
        netlogon: {
          url: 'ldap://127.0.0.1:389',
          domain: 'corp.example',
          bindMode: 'upn',
          searchBase: null,
          serviceDn: null,
          timeoutMs: 2000,
          allowPlainLdap: true,
        },
      },
      headers: admin,
    });
    expect(answer.status).toBe(200);
  });

  it('the SMTP test does not echo a remote banner', async () => {
    const banner = await bannerServer();
    try {
      const saved = await api(system, 'PUT', '/api/v1/admin/config/email', {
        body: {
          host: '127.0.0.1',
          port: portOf(banner),
          secure: false,
          senderName: '',
          address: 'noreply@gatehouse.test',
          username: '',
          verificationLink: LINK,
        },
        headers: admin,
      });
      expect(saved.status).toBe(200);
      const answer = await api(system, 'POST', '/api/v1/admin/config/email/test', { body: { to: 'ops@example.test' }, headers: admin });
      expect(answer.body).toEqual({ ok: false, code: 'mail_failed', reason: 'connection', message: expect.any(String) });
      expect(JSON.stringify(answer.body)).not.toContain('internal-banner');
      expect(JSON.stringify(answer.body)).not.toContain('SSH');
      // The admin still finds out what happened: in the mailer's log.
      const logged = system.logs.where({ event: 'mailer.test_failed', service: 'mailer' });
      expect(JSON.stringify(logged)).toContain('internal-banner-7f3a');
    } finally {
      await close(banner);
    }
  });

  it('the SMTP test does not tell closed ports from open ones', async () => {
    const closedPort = await freePort();
    const banner = await bannerServer();
    const silent = await listen(createServer((socket) => socket.on('error', () => undefined).resume()));
    try {
      const probe = async (port: number) => {
        await api(system, 'PUT', '/api/v1/admin/config/email', {
          body: {
            host: '127.0.0.1',
            port,
            secure: false,
            senderName: '',
            address: 'noreply@gatehouse.test',
            username: '',
            verificationLink: LINK,
          },
          headers: admin,
        });
        const started = Date.now();
        const answer = await api(system, 'POST', '/api/v1/admin/config/email/test', { body: { to: 'ops@example.test' }, headers: admin });
        return { status: answer.status, body: answer.body, ms: Date.now() - started };
      };
      const answers = [await probe(closedPort), await probe(portOf(banner)), await probe(portOf(silent))];
      for (const answer of answers) {
        expect(answer).toMatchObject({ status: 200, body: answers[0]!.body });
        // Within the gateway's default 5 s NATS timeout, and no sooner for a closed port than for a silent one.
        expect(answer.ms).toBeGreaterThanOrEqual(3500);
      }
      expect(answers[0]!.body).toMatchObject({ ok: false, reason: 'connection' });
    } finally {
      await close(banner);
      await close(silent);
    }
  }, 60_000);

  it('the SMTP test tells a refused login from a refused connection, without the server text', async () => {
    const sink = await SmtpSink.start({ auth: { username: 'mailer', password: 'right' } });
    try {
      await api(system, 'PUT', '/api/v1/admin/config/email', {
        body: sink.mailerConfig({ username: 'mailer', password: 'wrong', verificationLink: LINK }),
        headers: admin,
      });
      const answer = await api(system, 'POST', '/api/v1/admin/config/email/test', { body: { to: 'ops@example.test' }, headers: admin });
      expect(answer.body).toEqual({
        ok: false,
        code: 'mail_failed',
        reason: 'authentication',
        message: 'The SMTP server refused the username or password',
      });
    } finally {
      await sink.stop();
    }
  });

  it('the issuer check does not tell closed ports from open ones', async () => {
    const closedPort = await freePort();
    const banner = await bannerServer();
    const web = await listen(
      createHttpServer((_request, response) => response.end('{"internal":"config-4b1d","issuer":"somewhere-else"}')),
    );
    try {
      const probe = async (port: number) => {
        const started = Date.now();
        const answer = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
          body: {
            oidc: {
              issuer: `http://127.0.0.1:${port}`,
              clientId: 'x',
              redirectUri: `${system.url}/api/v1/auth/oauth2/callback`,
              allowedOrigins: [],
              providerName: '',
              oauth2Domain: null,
            },
          },
          headers: admin,
        });
        return { status: answer.status, body: answer.body, ms: Date.now() - started };
      };
      const closed = await probe(closedPort);
      const other = await probe(portOf(banner));
      const http = await probe(portOf(web));

      expect(closed.status).toBe(400);
      expect(closed.body.error).toMatchObject({
        code: 'validation_failed',
        details: { field: 'oidc.issuer', reason: 'issuer_unreachable' },
      });
      expect(other).toMatchObject({ status: closed.status, body: closed.body });
      expect(http).toMatchObject({ status: closed.status, body: closed.body });
      for (const answer of [closed, other, http]) {
        expect(JSON.stringify(answer.body)).not.toMatch(/config-4b1d|somewhere-else|internal-banner|ECONNREFUSED|127\.0\.0\.1/);
        // Nor by the time it takes: a refused connection waits as long as a silent one.
        expect(answer.ms).toBeGreaterThanOrEqual(4500);
      }
    } finally {
      await close(banner);
      await close(web);
    }
  }, 60_000);

  describe('email settings as a new user meets them', () => {
    const put = (body: Record<string, unknown>) => api(system, 'PUT', '/api/v1/admin/config/email', { body, headers: admin });
    const base = {
      host: '127.0.0.1',
      port: 25,
      secure: false,
      senderName: 'Gatehouse',
      address: 'noreply@gatehouse.test',
      username: '',
      verificationLink: LINK,
    };

    it('refuses a verificationLink that cannot be the public base of the API, naming the field', async () => {
      for (const verificationLink of [
        'https://login.gatehouse.test/verify',
        'https://login.gatehouse.test/api/v1?next=1',
        'https://login.gatehouse.test/api/v1#x',
        'https://user:pw@login.gatehouse.test/api/v1',
        'ftp://login.gatehouse.test/api/v1',
        'login.gatehouse.test/api/v1',
      ]) {
        const answer = await put({ ...base, verificationLink });
        expect([verificationLink, answer.status, answer.body.error]).toEqual([
          verificationLink,
          400,
          expect.objectContaining({ code: 'validation_failed', details: { field: 'verificationLink' } }),
        ]);
      }
      for (const verificationLink of [
        'https://login.gatehouse.test/api/v1',
        'https://login.gatehouse.test/api/v1/',
        'https://gatehouse.example.com/sso/api/v1',
      ]) {
        expect((await put({ ...base, verificationLink })).status).toBe(200);
      }
    });

    it('says in the OpenAPI description what verificationLink is', async () => {
      const { body } = await api(system, 'GET', '/api/docs-json');
      expect(JSON.stringify(body.paths['/api/v1/admin/config/email'].put)).toContain('The public base of the API as users reach it');
    });

    it('takes the SMTP client host name as optional (seed 001) and says EHLO with the verification link host', async () => {
      const sink = await SmtpSink.start();
      try {
        const saved = await put({ ...base, host: sink.host, port: sink.port });
        expect(saved.status).toBe(200);
        expect(saved.body.config).toMatchObject({ clientHostName: '' });
        const sent = await api(system, 'POST', '/api/v1/admin/config/email/test', { body: { to: 'ehlo@example.test' }, headers: admin });
        expect(sent.body).toEqual({ ok: true, response: '250 accepted' });
        expect(sink.messagesTo('ehlo@example.test')).toEqual([expect.objectContaining({ clientHostname: 'login.gatehouse.test' })]);
        // A GET sent back as a PUT keeps it so.
        const got = await api(system, 'GET', '/api/v1/admin/config/email', { headers: admin });
        const { passwordSet: _passwordSet, ...again } = got.body.config;
        expect((await put(again)).status).toBe(200);
      } finally {
        await sink.stop();
      }
    });

    it('logs every failed attempt of a mail that cannot be sent, the last as an error, and counts them', async () => {
      const closedPort = await freePort();
      expect((await put({ ...base, port: closedPort })).status).toBe(200);
      const idempotencyKey = `outbound-test:${closedPort}`;
      await nats.send(MailerSubjects.mailSend, {
        kind: 'test',
        to: 'someone.private@example.test',
        language: 'en',
        data: {},
        idempotencyKey,
      });

      await waitFor(() => system.logs.where({ event: 'mail.given_up', idempotencyKey }).length === 1, { timeoutMs: 20_000 });
      const lines = system.logs.lines.filter((line) => line.idempotencyKey === idempotencyKey && String(line.event).startsWith('mail.'));
      expect(lines.map((line) => [line.level, line.event, line.attempt])).toEqual([
        ['warn', 'mail.attempt_failed', 1],
        ['error', 'mail.given_up', 2],
      ]);
      expect(lines[0]).toMatchObject({
        kind: 'test',
        recipient: 's***@example.test',
        errorCode: expect.any(String),
        error: expect.stringContaining('ECONNREFUSED'),
      });
      expect(JSON.stringify(lines)).not.toContain('someone.private');

      const metrics = await system.services[4]!.get(Metrics, { strict: false }).text();
      expect(metrics).toMatch(/gatehouse_mail_given_up_total\{kind="test",service="mailer"\} 1/);
      expect(metrics).toMatch(/gatehouse_mail_attempts_total\{kind="test",outcome="failed",service="mailer"\} 2/);
    });
  });

  describe('the myApps reset password page (seed 000 "Forgot password?")', () => {
    const methods = async () => (await api(system, 'GET', '/api/v1/auth/methods')).body;

    it('leads "Forgot password?" to the configured page, and back to the built-in form without one', async () => {
      await nats.send(AuthSettingsSubjects.set, { actor: SYSTEM, passwordReset: false });
      expect(await methods()).toMatchObject({ passwordReset: false, resetPasswordPage: null });

      const page = 'https://pbx.example.com/PBX0/reset.htm';
      expect((await api(system, 'PUT', '/api/v1/admin/config/myapps', { body: { resetPasswordPage: page }, headers: admin })).status).toBe(
        200,
      );
      expect(await methods()).toMatchObject({ passwordReset: true, resetPasswordPage: page });

      await api(system, 'PUT', '/api/v1/admin/config/myapps', { body: { resetPasswordPage: null }, headers: admin });
      await nats.send(AuthSettingsSubjects.set, { actor: SYSTEM, passwordReset: true });
      expect(await methods()).toMatchObject({ passwordReset: true, resetPasswordPage: null });
    });
  });

  describe('OIDC account linking (finding 9) and the seed 001 OAuth2 domain', () => {
    const APP = 'https://app.example.com';
    let provider: TestOidcProvider;
    let redirectUri: string;
    const browserCookies: string[] = [];

    const saveProvider = (oauth2Domain: string | null) =>
      nats.send(FederationSubjects.configSet, {
        actor: SYSTEM,
        oidc: {
          issuer: provider.issuer,
          clientId: 'gatehouse',
          clientSecret: 'client-Secret-1',
          redirectUri,
          allowedOrigins: [APP],
          providerName: 'Test IdP',
          oauth2Domain,
        },
      });
    /** A whole login as the browser does it, as the provider's account `accountId`; the callback's answer. */
    const loginAs = async (accountId: string) => {
      const started = await fetch(`${system.url}/api/v1/auth/oauth2/start?returnTo=${encodeURIComponent(`${APP}/home`)}`, {
        redirect: 'manual',
      });
      browserCookies.push(started.headers.get('set-cookie')!.split(';')[0]);
      const callback = await provider.login(started.headers.get('location')!, accountId, redirectUri);
      return fetch(callback, { redirect: 'manual', headers: { cookie: browserCookies.join('; ') } });
    };
    /** Whose session the login made, or null (with the 403 page) when it linked to no one. */
    const userOf = async (response: Response): Promise<string | null> => {
      if (response.status !== 302) {
        expect(response.status).toBe(403);
        expect(await response.text()).toContain('identity_not_mapped');
        return null;
      }
      const accessToken = new URLSearchParams(new URL(response.headers.get('location')!).hash.slice(1)).get('accessToken');
      const me = await api(system, 'GET', '/api/v1/me', { headers: bearer(accessToken!) });
      return `${me.body.username}@${me.body.domain}`;
    };

    beforeAll(async () => {
      redirectUri = `${system.url}/api/v1/auth/oauth2/callback`;
      provider = await TestOidcProvider.start({
        clients: [{ client_id: 'gatehouse', client_secret: 'client-Secret-1', redirect_uris: [redirectUri] }],
        accounts: {
          'sub-unverified': { email: 'victim@idp.example' },
          'sub-said-unverified': { email: 'victim@idp.example', email_verified: false },
          'sub-verified': { email: 'victim@idp.example', email_verified: true },
          'sub-upn-boss': { upn: 'boss@example.com' },
          'sub-upn-other-domain': { upn: 'carol@elsewhere.example' },
          'sub-upn-carol': { upn: 'carol@ad.example.net' },
          'sub-email-dave': { email: 'dave@ad.example.net', email_verified: true },
        },
      });
      await createUser(system, { username: 'victim', email: 'victim@idp.example' });
      await createUser(system, { username: 'boss', admin: true, email: 'boss@example.com' });
      await createUser(system, { username: 'carol' });
      await createUser(system, { username: 'dave' });
      await saveProvider(null);
      await nats.send(AuthSettingsSubjects.set, { actor: SYSTEM, type: 'pbx+oauth2' });
    });
    afterAll(() => provider?.stop());

    it('an unverified OIDC email does not take over the account with that email', async () => {
      expect(await userOf(await loginAs('sub-unverified'))).toBeNull();
      expect(await userOf(await loginAs('sub-said-unverified'))).toBeNull();
      // The same address, verified by the provider, is the owner's: the link itself works.
      expect(await userOf(await loginAs('sub-verified'))).toBe('victim@example.com');
    });

    it('a upn claim does not link to an admin', async () => {
      expect(await userOf(await loginAs('sub-upn-boss'))).toBeNull();
    });

    it('maps users of the OAuth2 domain to members of the PBX domain (seed 001), by UPN and by verified email', async () => {
      await saveProvider('ad.example.net');
      expect(await userOf(await loginAs('sub-upn-carol'))).toBe('carol@example.com');
      expect(await userOf(await loginAs('sub-email-dave'))).toBe('dave@example.com');
      // A UPN of another domain still links to no one, and the mapping links only what it names.
      expect(await userOf(await loginAs('sub-upn-other-domain'))).toBeNull();
      expect(await userOf(await loginAs('sub-upn-boss'))).toBeNull();
    });
  });
});

describe('the encryption key (finding 10)', () => {
  /** Starts one service's main.ts as its own process, as the image does (compiled there: dist/server). */
  const runService = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['-r', '@swc-node/register', join(root, 'apps', 'mailer', 'src', 'main.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      // Compiling main.ts on a loaded machine takes a while; the refusal itself is immediate.
      timeout: 60_000,
    });

  it('production refuses to start without an encryption key', () => {
    const result = runService({ NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^Configuration error: GATEHOUSE_ENCRYPTION_KEY: must be set with NODE_ENV=production.*\(missing\)/);

    // Nor on the published development key given explicitly, which is never printed.
    const published = runService({ NODE_ENV: 'production', GATEHOUSE_ENCRYPTION_KEY: 'ZGV2ZWxvcG1lbnQta2V5LWNoYW5nZS1pbi1wcm9kISE=' });
    expect(published.status).toBe(1);
    expect(published.stderr).toMatch(/GATEHOUSE_ENCRYPTION_KEY: .*\(the built-in development key\)/);
    expect(published.stderr).not.toContain('ZGV2ZWxvcG1lbnQ');
  }, 150_000);

  it('production starts on a key of its own, and development still starts with no configuration', () => {
    const own = 'q83vEjRWeJq8vN7xEjRWeJq83vEjRWeJq83vEjRWeJo=';
    expect(loadMailerConfig({ NODE_ENV: 'production', GATEHOUSE_ENCRYPTION_KEY: own }).GATEHOUSE_ENCRYPTION_KEY).toBe(own);
    expect(() => loadMailerConfig({})).not.toThrow();
  });
});
