import { NatsClient } from '@gatehouse/platform';
import { PrivateLdap } from '@gatehouse/testing';
import { FederationSubjects, AuthSettingsSubjects } from '@gatehouse/contracts';
import { createUser, login } from '../auth/support';
import { startTestSystem, TestSystem } from '../support/system';
import { UpnBindFront } from './support/upn-bind-front';

const DOMAIN_PASSWORD = 'Bob-Windows-1';

describe('Netlogon binds against OpenLDAP: as user@domain (UPN) and through the service-account search', () => {
  let system: TestSystem;
  let ldap: PrivateLdap;
  let dc: UpnBindFront;
  let nats: NatsClient;
  let bobDn: string;

  beforeAll(async () => {
    ldap = await PrivateLdap.start({ users: [{ uid: 'bob', password: DOMAIN_PASSWORD, mail: 'bob@corp.example' }] });
    dc = await UpnBindFront.start(ldap);
    bobDn = `uid=bob,ou=people,${ldap.baseDn}`;
    system = await startTestSystem();
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'bob', password: 'bob pbx password that is long' });
  });
  afterAll(async () => {
    await system?.stop();
    await dc?.stop();
    await ldap?.dispose();
  });

  const configure = (bindMode: 'upn' | 'search') =>
    nats.send(FederationSubjects.configSet, {
      actor: { kind: 'system', service: 'test' },
      netlogon: {
        url: dc.url,
        domain: ldap.domain,
        bindMode,
        searchBase: bindMode === 'search' ? ldap.baseDn : null,
        serviceDn: bindMode === 'search' ? ldap.serviceAccount.dn : null,
        ...(bindMode === 'search' ? { servicePassword: ldap.serviceAccount.password } : {}),
        timeoutMs: 2000,
        allowPlainLdap: true,
      },
    });
  const verify = (username: string, password: string) => nats.send(FederationSubjects.netlogonVerify, { username, password });
  /** The binds that reached the domain controller while `act` ran. */
  const bindsDuring = async (act: () => Promise<unknown>) => {
    const seen = dc.binds.length;
    const connections = dc.connections;
    const result = await act();
    return { result, binds: dc.binds.slice(seen).map((b) => b.name), connections: dc.connections - connections };
  };

  describe('upn', () => {
    beforeAll(() => configure('upn'));

    it('binds as user@domain with the password and returns that identity', async () => {
      const { result, binds } = await bindsDuring(() => verify('bob', DOMAIN_PASSWORD));
      expect(result).toEqual({ ok: true, identity: { username: 'bob', upn: 'bob@corp.example' } });
      expect(binds).toEqual(['bob@corp.example']); // one bind, as the user: no service account
    });

    it('takes the UPN typed in full, and refuses a wrong password or an unknown user', async () => {
      expect(await verify('bob@CORP.EXAMPLE', DOMAIN_PASSWORD)).toMatchObject({ ok: true });
      const wrong = await bindsDuring(() => verify('bob', 'Wrong-Windows-1'));
      expect(wrong).toMatchObject({ result: { ok: false }, binds: ['bob@corp.example'] });
      expect(await verify('nobody', DOMAIN_PASSWORD)).toEqual({ ok: false });
    });

    it('refuses another domain, a DN and an empty password without contacting the domain controller', async () => {
      for (const [username, password] of [
        ['bob@other.example', DOMAIN_PASSWORD],
        [bobDn, DOMAIN_PASSWORD],
        ['bob', ''],
      ]) {
        const attempt = await bindsDuring(() => verify(username, password));
        expect({ username, ...attempt }).toEqual({ username, result: { ok: false }, binds: [], connections: 0 });
      }
    });

    it('lets bob log in with the domain password through POST /auth/login under netlogon', async () => {
      await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, type: 'netlogon' });
      try {
        const { result, binds } = await bindsDuring(() => login(system, 'bob', DOMAIN_PASSWORD));
        expect((result as { status: number }).status).toBe(200);
        expect(binds).toEqual(['bob@corp.example']);
        expect((await login(system, 'bob', 'Wrong-Windows-1')).status).toBe(401);
      } finally {
        await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, type: 'pbx' });
      }
    });
  });

  describe('search', () => {
    beforeAll(() => configure('search'));

    it("binds the service account, finds the user's DN and binds as it", async () => {
      const { result, binds } = await bindsDuring(() => verify('bob', DOMAIN_PASSWORD));
      expect(result).toEqual({ ok: true, identity: { username: 'bob', email: 'bob@corp.example' } });
      expect(binds).toEqual([ldap.serviceAccount.dn, bobDn]);
    });

    it('refuses a wrong password after the search, and an empty one before any connection', async () => {
      expect(await bindsDuring(() => verify('bob', 'Wrong-Windows-1'))).toMatchObject({
        result: { ok: false },
        binds: [ldap.serviceAccount.dn, bobDn],
      });
      expect(await bindsDuring(() => verify('bob', ''))).toEqual({ result: { ok: false }, binds: [], connections: 0 });
    });
  });
});
