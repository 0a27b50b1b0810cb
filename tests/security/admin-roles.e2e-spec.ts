import { connect, NatsConnection, StringCodec } from 'nats';
import { NatsClient } from '@gatehouse/platform';
import { PrivateLdap, SmtpSink } from '@gatehouse/testing';
import { DirectorySubjects, AuthSubjects, MailerSubjects, AuthSettingsSubjects, FederationSubjects } from '@gatehouse/contracts';
import { bearer, createUser, GOOD_PASSWORD, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

// The test system's GATEHOUSE_DOMAIN is example.com: its admins are installation administrators.
const TENANT = 'tenant.example';
const SYSTEM = { kind: 'system', service: 'test' } as const;

describe('two administrator roles: installation-wide settings for installation administrators only', () => {
  let system: TestSystem;
  let sink: SmtpSink;
  let nats: NatsClient;
  let installationAdmin: Record<string, string>;
  let domainAdmin: Record<string, string>;
  let domainAdminId: string;
  let installationAdminId: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    system = await startTestSystem();
    nats = system.gateway.get(NatsClient, { strict: false });
    installationAdminId = (await createUser(system, { username: 'root', admin: true })).id;
    const { user } = await nats.send(DirectorySubjects.userCreate, { domain: TENANT, username: 'dora', admin: true });
    await nats.send(AuthSubjects.passwordSet, { userId: user.id, password: GOOD_PASSWORD });
    domainAdminId = user.id;
    installationAdmin = bearer((await login(system, 'root')).body.accessToken);
    const dora = await login(system, `dora@${TENANT}`);
    expect(dora.body.user).toMatchObject({ domain: TENANT, admin: true });
    domainAdmin = bearer(dora.body.accessToken);
    await nats.send(MailerSubjects.configSet, {
      actor: SYSTEM,
      config: sink.mailerConfig({ verificationLink: 'https://login.example.com/api/v1' }),
    });
  });
  afterAll(async () => {
    await system?.stop();
    await sink?.stop();
  });

  const expectForbidden = (response: { status: number; body: any }) => {
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
  };
  const authConfig = () => api(system, 'GET', '/api/v1/admin/config/authentication', { headers: installationAdmin });

  describe('authentication settings (auth and federation)', () => {
    it('a domain admin cannot read the authentication policy and the federation settings', async () => {
      expectForbidden(await api(system, 'GET', '/api/v1/admin/config/authentication', { headers: domainAdmin }));
    });

    it('a domain admin cannot point Netlogon at their own LDAP server', async () => {
      const attack = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
        headers: domainAdmin,
        body: {
          type: 'pbx+netlogon',
          netlogon: {
            url: 'ldap://dc.attacker.example',
            domain: 'attacker.example',
            bindMode: 'upn',
            searchBase: null,
            serviceDn: null,
            timeoutMs: 1000,
            allowPlainLdap: true,
          },
        },
      });
      expectForbidden(attack);
      expect((await authConfig()).body).toMatchObject({ type: 'pbx', netlogon: { url: null, allowPlainLdap: false } });
    });

    it('a domain admin cannot switch two-factor approval off', async () => {
      await nats.send(AuthSettingsSubjects.set, { actor: SYSTEM, twoFactor: true });
      try {
        expectForbidden(
          await api(system, 'PUT', '/api/v1/admin/config/authentication', { headers: domainAdmin, body: { twoFactor: false } }),
        );
        expect((await authConfig()).body.twoFactor).toBe(true);
      } finally {
        await nats.send(AuthSettingsSubjects.set, { actor: SYSTEM, twoFactor: false });
      }
    });

    it('an installation admin can read and change the authentication settings', async () => {
      const changed = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
        headers: installationAdmin,
        body: { approvalMode: 'transfer' },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.approvalMode).toBe('transfer');
      expect((await authConfig()).body.approvalMode).toBe('transfer');
      await api(system, 'PUT', '/api/v1/admin/config/authentication', { headers: installationAdmin, body: { approvalMode: 'compare' } });
    });
  });

  describe('email settings (mailer)', () => {
    it('a domain admin cannot read or change the SMTP account', async () => {
      expectForbidden(await api(system, 'GET', '/api/v1/admin/config/email', { headers: domainAdmin }));
      const attack = await api(system, 'PUT', '/api/v1/admin/config/email', {
        headers: domainAdmin,
        body: { ...sink.mailerConfig({ verificationLink: 'https://attacker.example/api/v1' }), host: 'smtp.attacker.example' },
      });
      expectForbidden(attack);
      const stored = await api(system, 'GET', '/api/v1/admin/config/email', { headers: installationAdmin });
      expect(stored.body.config).toMatchObject({ host: sink.host, verificationLink: 'https://login.example.com/api/v1' });
    });

    it('a domain admin cannot send a test mail', async () => {
      expectForbidden(
        await api(system, 'POST', '/api/v1/admin/config/email/test', {
          headers: domainAdmin,
          body: { to: 'probe@attacker.example', language: 'en' },
        }),
      );
      expect(sink.messagesTo('probe@attacker.example')).toEqual([]);
    });

    it('an installation admin can read the SMTP account and send a test mail', async () => {
      const stored = await api(system, 'GET', '/api/v1/admin/config/email', { headers: installationAdmin });
      expect(stored.status).toBe(200);
      expect(stored.body.config).toMatchObject({ host: sink.host });
      const sent = await api(system, 'POST', '/api/v1/admin/config/email/test', {
        headers: installationAdmin,
        body: { to: 'ops@example.com', language: 'en' },
      });
      expect(sent.status).toBe(200);
      expect(sent.body.ok).toBe(true);
      expect(sink.messagesTo('ops@example.com')).toHaveLength(1);
    });
  });

  describe('external users (auth)', () => {
    const createExternal = (headers: Record<string, string>, body: Record<string, unknown>) =>
      api(system, 'POST', '/api/v1/admin/external-users', { headers, body });

    it('a domain admin cannot create an external user in another domain', async () => {
      expectForbidden(await createExternal(domainAdmin, { domain: 'example.com' }));
      const { items } = await nats.send(DirectorySubjects.userList, { domain: 'example.com', limit: 200 });
      expect(items.filter((user) => user.external)).toEqual([]);
    });

    it('a domain admin creates external users in their own domain', async () => {
      const own = await createExternal(domainAdmin, {});
      expect(own.status).toBe(201);
      expect(own.body.user).toMatchObject({ domain: TENANT, external: true });
      expect((await createExternal(domainAdmin, { domain: TENANT })).status).toBe(201);
    });

    it('an installation admin can create an external user in any domain', async () => {
      const other = await createExternal(installationAdmin, { domain: TENANT });
      expect(other.status).toBe(201);
      expect(other.body.user).toMatchObject({ domain: TENANT, external: true });
    });
  });

  describe('the owning services check the actor themselves, not only the gateway', () => {
    const rejection = (promise: Promise<unknown>) =>
      promise.then(
        () => 'allowed',
        (error: { code?: string }) => error.code,
      );

    it('auth, federation and mailer refuse a NATS request whose actor is a domain admin', async () => {
      const actor = { kind: 'admin', userId: domainAdminId, domain: TENANT } as const;
      const config = sink.mailerConfig({ verificationLink: 'https://attacker.example/api/v1' });
      expect(await rejection(nats.send(AuthSettingsSubjects.get, { actor }))).toBe('forbidden');
      expect(await rejection(nats.send(AuthSettingsSubjects.set, { actor, twoFactor: false }))).toBe('forbidden');
      expect(await rejection(nats.send(FederationSubjects.configGet, { actor }))).toBe('forbidden');
      expect(
        await rejection(
          nats.send(FederationSubjects.configSet, {
            actor,
            netlogon: {
              url: 'ldap://dc.attacker.example',
              domain: 'attacker.example',
              bindMode: 'upn',
              searchBase: null,
              serviceDn: null,
              timeoutMs: 1000,
              allowPlainLdap: true,
            },
          }),
        ),
      ).toBe('forbidden');
      expect(await rejection(nats.send(MailerSubjects.configGet, { actor }))).toBe('forbidden');
      expect(await rejection(nats.send(MailerSubjects.configSet, { actor, config }))).toBe('forbidden');
      expect(await rejection(nats.send(MailerSubjects.testSend, { actor, to: 'probe@attacker.example', language: 'en' }))).toBe(
        'forbidden',
      );
      expect(await rejection(nats.send(AuthSubjects.externalUserCreate, { actor, domain: 'example.com' }))).toBe('forbidden');
      expect((await authConfig()).body).toMatchObject({ netlogon: { url: null } });
    });

    it('the same requests with an installation admin actor are answered', async () => {
      const actor = { kind: 'admin', userId: installationAdminId, domain: 'example.com' } as const;
      expect((await nats.send(AuthSettingsSubjects.get, { actor })).settings.type).toBe('pbx');
      expect((await nats.send(FederationSubjects.configGet, { actor })).settings.netlogon.url).toBeNull();
      expect((await nats.send(MailerSubjects.configGet, { actor })).config).toMatchObject({ host: sink.host });
      expect((await nats.send(AuthSubjects.externalUserCreate, { actor, domain: TENANT })).user.domain).toBe(TENANT);
    });

    it('a request without an actor is refused, so an internal call cannot be an accident', async () => {
      const raw: NatsConnection = await connect({ servers: system.testEnv.env.NATS_URL });
      const codec = StringCodec();
      try {
        for (const subject of ['auth.settings.get', 'federation.config.get', 'mailer.config.get']) {
          const reply = JSON.parse(codec.decode((await raw.request(subject, codec.encode('{}'), { timeout: 5000 })).data)) as {
            err?: { code: string; message: string };
          };
          expect(reply.err).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('actor') });
        }
      } finally {
        await raw.close();
      }
    });
  });

  describe('GET then PUT of the authentication settings', () => {
    let ldap: PrivateLdap;
    beforeAll(async () => {
      ldap = await PrivateLdap.start({ users: [] });
    });
    afterAll(() => ldap?.dispose());

    it('GET then PUT of the authentication settings round-trips', async () => {
      // federation checks the domain controller when it is saved: a real one, with a service account.
      const configured = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
        headers: installationAdmin,
        body: {
          netlogon: {
            url: ldap.url,
            domain: ldap.domain,
            bindMode: 'search',
            searchBase: ldap.baseDn,
            serviceDn: ldap.serviceAccount.dn,
            servicePassword: ldap.serviceAccount.password,
            timeoutMs: 2000,
            allowPlainLdap: true,
          },
        },
      });
      expect(configured.body).toMatchObject({ netlogon: { servicePasswordSet: true } });
      const before = await authConfig();
      expect(before.body).toMatchObject({ netlogon: { servicePasswordSet: true }, oidc: { clientSecretSet: false } });

      const put = await api(system, 'PUT', '/api/v1/admin/config/authentication', { headers: installationAdmin, body: before.body });
      expect(put.status).toBe(200);
      expect(put.body).toEqual(before.body);
      // The read-only flag is ignored: the stored service password stays.
      expect((await authConfig()).body).toEqual(before.body);
    });

    it('still refuses unknown fields in a PUT of the authentication settings', async () => {
      const { body } = await authConfig();
      const unknown = await api(system, 'PUT', '/api/v1/admin/config/authentication', {
        headers: installationAdmin,
        body: { ...body, netlogon: { ...body.netlogon, bindPassword: 'x' } },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toMatchObject({ code: 'unknown_field', message: expect.stringContaining('bindPassword') });
    });
  });
});
