import { createPrismaClient } from '@gatehouse/db';
import { NatsClient } from '@gatehouse/platform';
import { PrivateLdap } from '@gatehouse/testing';
import { FederationSubjects } from '@gatehouse/contracts';
import { startTestSystem, TestSystem } from '../support/system';

describe('federation.netlogon.verify and federation.config over NATS', () => {
  let system: TestSystem;
  let ldap: PrivateLdap;
  let nats: NatsClient;

  beforeAll(async () => {
    ldap = await PrivateLdap.start({ users: [{ uid: 'bob', password: 'Bob-Windows-1', mail: 'bob@corp.example' }] });
    system = await startTestSystem();
    nats = system.gateway.get(NatsClient, { strict: false });
  });
  afterAll(async () => {
    await system.stop();
    await ldap.dispose();
  });

  const configure = (overrides: Record<string, unknown> = {}) =>
    nats.send(FederationSubjects.configSet, {
      actor: { kind: 'system', service: 'test' },
      netlogon: {
        url: ldap.url,
        domain: ldap.domain,
        bindMode: 'search',
        searchBase: ldap.baseDn,
        serviceDn: ldap.serviceAccount.dn,
        servicePassword: ldap.serviceAccount.password,
        timeoutMs: 800,
        allowPlainLdap: true,
        ...overrides,
      },
    });

  it('reports netlogon_unavailable while Netlogon is not configured', async () => {
    await expect(nats.send(FederationSubjects.netlogonVerify, { username: 'bob', password: 'x' })).rejects.toMatchObject({
      code: 'netlogon_unavailable',
    });
  });

  it('refuses a malformed LDAP URL and a search mode without service account', async () => {
    await expect(configure({ url: 'http://dc.corp.example' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(configure({ serviceDn: null })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('stores the service account password encrypted and never shows it', async () => {
    const { settings } = await configure();
    expect(settings.netlogon).toMatchObject({ url: ldap.url, servicePasswordSet: true });
    expect(JSON.stringify(settings)).not.toContain(ldap.serviceAccount.password);
    const prisma = createPrismaClient({ url: String(system.testEnv.env.DATABASE_URL), poolSize: 1 });
    try {
      const row = await prisma.federationSettings.findUniqueOrThrow({ where: { id: 1 } });
      expect(row.netlogonServiceSecret).toMatch(/^v1\./);
      expect(row.netlogonServiceSecret).not.toContain(ldap.serviceAccount.password);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('verifies a domain password, refuses a wrong or empty one, and never logs the password', async () => {
    await configure();
    await expect(
      nats.send(FederationSubjects.netlogonVerify, { domain: 'corp.example', username: 'bob', password: 'Bob-Windows-1' }),
    ).resolves.toEqual({
      ok: true,
      identity: { username: 'bob', email: 'bob@corp.example' },
    });
    await expect(nats.send(FederationSubjects.netlogonVerify, { username: 'bob', password: 'Wrong-1' })).resolves.toEqual({ ok: false });
    await expect(nats.send(FederationSubjects.netlogonVerify, { username: 'bob', password: '' })).resolves.toEqual({ ok: false });
    await expect(
      nats.send(FederationSubjects.netlogonVerify, { domain: 'other.example', username: 'bob', password: 'Bob-Windows-1' }),
    ).resolves.toEqual({ ok: false });
    expect(JSON.stringify(system.logs.lines)).not.toContain('Bob-Windows-1');
  });

  it('answers netlogon_unavailable within the configured timeout when the domain controller is down', async () => {
    await configure();
    await ldap.stop();
    try {
      const started = Date.now();
      await expect(nats.send(FederationSubjects.netlogonVerify, { username: 'bob', password: 'Bob-Windows-1' })).rejects.toMatchObject({
        code: 'netlogon_unavailable',
      });
      expect(Date.now() - started).toBeLessThan(800 + 1000);
    } finally {
      await ldap.resume();
    }
  });
});
