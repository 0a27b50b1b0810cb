import { NatsClient } from '@gatehouse/platform';
import { PrivateLdap } from '@gatehouse/testing';
import { DirectorySubjects, AuthSettingsSubjects } from '@gatehouse/contracts';
import { bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

const PBX_PASSWORD = 'bob pbx password that is long';
const DOMAIN_PASSWORD = 'Bob-Windows-1';

describe('authentication types on POST /auth/login, set through /admin/config/authentication', () => {
  let system: TestSystem;
  let ldap: PrivateLdap;
  let admin: Record<string, string>;

  beforeAll(async () => {
    ldap = await PrivateLdap.start({
      users: [
        { uid: 'bob', password: DOMAIN_PASSWORD, mail: 'bob@corp.example' },
        { uid: 'dave', password: DOMAIN_PASSWORD, mail: 'dave@corp.example' },
      ],
    });
    system = await startTestSystem();
    await createUser(system, { username: 'root', admin: true });
    await createUser(system, { username: 'bob', password: PBX_PASSWORD });
    await createUser(system, { username: 'carol' });
    // dave has no PBX password: his Windows password is his only one.
    await system.gateway
      .get(NatsClient, { strict: false })
      .send(DirectorySubjects.userCreate, { domain: 'example.com', username: 'dave', admin: false });
    admin = bearer((await login(system, 'root')).body.accessToken);
  });
  afterAll(async () => {
    await system.stop();
    await ldap.dispose();
  });

  const netlogon = (overrides: Record<string, unknown> = {}) => ({
    url: ldap.url,
    domain: ldap.domain,
    bindMode: 'search',
    searchBase: ldap.baseDn,
    serviceDn: ldap.serviceAccount.dn,
    servicePassword: ldap.serviceAccount.password,
    timeoutMs: 800,
    allowPlainLdap: true,
    ...overrides,
  });
  const configure = (body: Record<string, unknown>) => api(system, 'PUT', '/api/v1/admin/config/authentication', { body, headers: admin });

  it('refuses netlogon until a domain controller is configured, and non-admins entirely', async () => {
    const refused = await configure({ type: 'netlogon' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('netlogon.url') });
    const malformed = await configure({ netlogon: netlogon({ url: 'http://dc.corp.example' }) });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('validation_failed');
    const user = bearer((await login(system, 'carol')).body.accessToken);
    expect((await api(system, 'GET', '/api/v1/admin/config/authentication', { headers: user })).status).toBe(403);
    expect((await api(system, 'PUT', '/api/v1/admin/config/authentication', { body: { twoFactor: true }, headers: user })).status).toBe(
      403,
    );
  });

  it('shows the whole configuration with secrets write-only', async () => {
    const saved = await configure({ type: 'pbx+netlogon', netlogon: netlogon() });
    expect(saved.status).toBe(200);
    const { body } = await api(system, 'GET', '/api/v1/admin/config/authentication', { headers: admin });
    expect(body).toMatchObject({
      type: 'pbx+netlogon',
      twoFactor: false,
      approvalMode: 'compare',
      netlogon: { url: ldap.url, servicePasswordSet: true },
    });
    expect(JSON.stringify(body)).not.toContain(ldap.serviceAccount.password);
    expect((await configure({ unknown: 1 })).body.error.code).toBe('unknown_field');
  });

  it('under pbx+netlogon takes the PBX password of a user who has one and the domain password of a user who has none', async () => {
    await configure({ type: 'pbx+netlogon' });
    expect((await api(system, 'GET', '/api/v1/auth/methods')).body).toMatchObject({ password: true, netlogon: true, oauth2: null });
    expect((await login(system, 'bob', PBX_PASSWORD)).status).toBe(200);
    // bob's source is his PBX password: his Windows password is not tried, so a PBX typo never reaches the domain
    expect((await login(system, 'bob', DOMAIN_PASSWORD)).body.error.code).toBe('invalid_credentials');
    expect((await login(system, 'dave', DOMAIN_PASSWORD)).status).toBe(200);
    expect((await login(system, 'dave', 'Wrong-Windows-1')).body.error.code).toBe('invalid_credentials');
  });

  it('under netlogon only refuses the PBX password', async () => {
    await configure({ type: 'netlogon' });
    expect((await login(system, 'bob', DOMAIN_PASSWORD)).status).toBe(200);
    const pbx = await login(system, 'bob', PBX_PASSWORD);
    expect(pbx.status).toBe(401);
    expect(pbx.body.error.code).toBe('invalid_credentials');
  });

  it('with the domain controller down: netlogon_unavailable in time under netlogon, the PBX password still works under pbx+netlogon', async () => {
    await ldap.stop();
    try {
      await configure({ type: 'netlogon' });
      const started = Date.now();
      const down = await login(system, 'bob', DOMAIN_PASSWORD);
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('netlogon_unavailable');
      expect(Date.now() - started).toBeLessThan(800 + 2000);
      await configure({ type: 'pbx+netlogon' });
      expect((await login(system, 'bob', PBX_PASSWORD)).status).toBe(200);
    } finally {
      await ldap.resume();
    }
  });

  it('under oauth2 only refuses password logins with auth_type_disabled', async () => {
    const saved = await configure({ type: 'oauth2' });
    expect(saved.body.error.message).toContain('oidc.issuer');
    await system.gateway
      .get(NatsClient, { strict: false })
      .send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, type: 'oauth2' });
    const refused = await login(system, 'bob', PBX_PASSWORD);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('auth_type_disabled');
    expect((await api(system, 'GET', '/api/v1/auth/methods')).body).toMatchObject({ password: false, passwordReset: false });
  });
});
