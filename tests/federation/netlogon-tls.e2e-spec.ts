import { PrivateLdap, TestCa } from '@gatehouse/testing';
import { bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

const DOMAIN_PASSWORD = 'Bob-Windows-1';

describe('Netlogon to a domain controller with a company CA, set through /admin/config/authentication', () => {
  let system: TestSystem;
  let companyCa: TestCa;
  let otherCa: TestCa;
  let ldap: PrivateLdap;
  let admin: Record<string, string>;

  beforeAll(async () => {
    companyCa = TestCa.create('Corp Example Issuing CA');
    otherCa = TestCa.create('Some Other CA');
    ldap = await PrivateLdap.start({ users: [{ uid: 'bob', password: DOMAIN_PASSWORD }], tls: companyCa.issue() });
    // info: the TLS failure an admin looks for is logged at warn.
    system = await startTestSystem({ LOG_LEVEL: 'info' });
    await createUser(system, { username: 'root', admin: true });
    await createUser(system, { username: 'bob' });
    admin = bearer((await login(system, 'root')).body.accessToken);
  });
  afterAll(async () => {
    await system?.stop();
    await ldap?.dispose();
    companyCa?.dispose();
    otherCa?.dispose();
  });

  const configure = (overrides: Record<string, unknown>) =>
    api(system, 'PUT', '/api/v1/admin/config/authentication', {
      headers: admin,
      body: {
        type: 'netlogon',
        netlogon: {
          url: ldap.ldapsUrl,
          domain: ldap.domain,
          bindMode: 'search',
          searchBase: ldap.baseDn,
          serviceDn: ldap.serviceAccount.dn,
          servicePassword: ldap.serviceAccount.password,
          timeoutMs: 2000,
          allowPlainLdap: false,
          ...overrides,
        },
      },
    });

  it('refuses a CA that is not one or more PEM certificates with validation_failed', async () => {
    const notBase64 = '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n';
    const notX509 = '-----BEGIN CERTIFICATE-----\nQUJDRA==\n-----END CERTIFICATE-----\n';
    const withKey = `${companyCa.certificate}-----BEGIN PRIVATE KEY-----\nQUJDRA==\n-----END PRIVATE KEY-----\n`;
    for (const caCertificate of ['', 'hello', notBase64, notX509, withKey]) {
      const refused = await configure({ caCertificate });
      expect({ caCertificate, status: refused.status, error: refused.body.error }).toEqual({
        caCertificate,
        status: 400,
        error: expect.objectContaining({ code: 'validation_failed', message: expect.stringContaining('netlogon.caCertificate') }),
      });
    }
  });

  it('refuses a CA certificate that has expired or is not valid yet, naming the date', async () => {
    const twoDaysMs = 2 * 86_400_000;
    system.clock.advance(twoDaysMs + 60_000); // the test CA is valid for two days from now
    admin = bearer((await login(system, 'root')).body.accessToken); // the first login's token has expired by then
    const expired = await configure({ caCertificate: companyCa.certificate });
    expect(expired.status).toBe(400);
    expect(expired.body.error).toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/netlogon\.caCertificate: certificate 1 expired on \d{4}-/),
    });

    system.clock.advance(-2 * (twoDaysMs + 60_000)); // before it was made
    const early = await configure({ caCertificate: companyCa.certificate });
    expect(early.body.error).toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('certificate 1 is not valid before'),
    });
    system.clock.advance(twoDaysMs + 60_000);
  });

  it('accepts a server certificate from an intermediate CA when the root is configured (the server sends the chain)', async () => {
    const issuing = companyCa.intermediate('Corp Example Issuing CA 2');
    const behindIntermediate = await PrivateLdap.start({ users: [{ uid: 'bob', password: DOMAIN_PASSWORD }], tls: issuing.issue() });
    try {
      const saved = await configure({ url: behindIntermediate.ldapsUrl, caCertificate: companyCa.certificate });
      expect({ status: saved.status, error: saved.body.error }).toEqual({ status: 200, error: undefined });
      expect((await login(system, 'bob', DOMAIN_PASSWORD)).status).toBe(200);
      // the intermediate alone is no trust anchor: the chain must end at a configured root (refused on save)
      const intermediateOnly = await configure({ url: behindIntermediate.ldapsUrl, caCertificate: issuing.certificate });
      expect({
        status: intermediateOnly.status,
        code: intermediateOnly.body.error?.code,
        reason: intermediateOnly.body.error?.details?.reason,
      }).toEqual({
        status: 400,
        code: 'validation_failed',
        reason: 'tls',
      });
    } finally {
      await behindIntermediate.dispose();
      issuing.dispose();
    }
  });

  it('stores the CA, shows it, and logs bob in with the domain password over ldaps:// and over StartTLS', async () => {
    const saved = await configure({ caCertificate: companyCa.certificate });
    expect(saved.status).toBe(200);
    const { body } = await api(system, 'GET', '/api/v1/admin/config/authentication', { headers: admin });
    expect(body.netlogon).toMatchObject({ url: ldap.ldapsUrl, caCertificate: companyCa.certificate });
    expect((await login(system, 'bob', DOMAIN_PASSWORD)).status).toBe(200);
    expect((await login(system, 'bob', 'Wrong-Windows-1')).body.error.code).toBe('invalid_credentials');

    // Omitting the CA keeps it; ldap:// without allowPlainLdap means StartTLS.
    expect((await configure({ url: ldap.url })).body.netlogon).toMatchObject({ url: ldap.url, caCertificate: companyCa.certificate });
    expect((await login(system, 'bob', DOMAIN_PASSWORD)).status).toBe(200);
  });

  it.each([
    ['another CA', () => otherCa.certificate],
    ['no CA (the default trust store)', () => null],
  ])('with %s saving is refused naming the TLS failure, which is logged, no password leaked', async (_, ca) => {
    expect((await configure({ caCertificate: companyCa.certificate })).status).toBe(200);
    const seen = system.logs.lines.length;
    for (const url of [ldap.ldapsUrl, ldap.url]) {
      const refused = await configure({ url, caCertificate: ca() });
      expect({ url, status: refused.status, error: refused.body.error }).toEqual({
        url,
        status: 400,
        error: expect.objectContaining({
          code: 'validation_failed',
          details: expect.objectContaining({ reason: 'tls', errorCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
        }),
      });
    }
    // nothing of the refused settings was stored: logins keep working with the company CA
    expect((await api(system, 'GET', '/api/v1/admin/config/authentication', { headers: admin })).body.netlogon.caCertificate).toBe(
      companyCa.certificate,
    );
    expect((await login(system, 'bob', DOMAIN_PASSWORD)).status).toBe(200);
    const failures = system.logs.lines.slice(seen).filter((line) => line.level === 'warn' && line.reason === 'tls');
    expect(failures.map((line) => line.errorCode)).toEqual(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
    expect(failures[0].msg).toContain('TLS with the domain controller failed');
    const everything = JSON.stringify(system.logs.lines);
    expect(everything).not.toContain(DOMAIN_PASSWORD);
    expect(everything).not.toContain(ldap.serviceAccount.password);
  });
});
