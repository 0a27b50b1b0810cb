import { createPrismaClient, PrismaClient } from '@gatehouse/db';
import { NatsClient } from '@gatehouse/platform';
import { SambaDc, SambaUser } from '@gatehouse/testing';
import { DirectorySubjects } from '@gatehouse/contracts';
import { bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import { TcpRelay } from './support/tcp-relay';

const PASSWORD = 'Windows-Pass-1';
const WRONG = 'Wrong-Windows-9';
const PBX_PASSWORD = 'pbx password that is long enough';

/**
 * Against a real Active Directory domain controller: Samba 4.17 provisioned as the DC of CORP.TEST
 * by scripts/ensure-samba.sh, with the domain's lockout threshold at 3. Every account here is this
 * file's own (the DC is shared by parallel test files).
 */
describe('Netlogon against a Samba Active Directory domain controller (CORP.TEST)', () => {
  let dc: SambaDc;
  let system: TestSystem;
  let prisma: PrismaClient;
  let nats: NatsClient;
  let admin: Record<string, string>;
  let plain: Record<string, string>;
  let service: SambaUser;
  /** Only ever given wrong passwords here, so the guard's wait for it does not hold up the other tests. */
  let typoService: SambaUser;
  let relay: TcpRelay;

  beforeAll(async () => {
    dc = await SambaDc.connect();
    service = await dc.createUser('svc', 'Service-Pass-1');
    typoService = await dc.createUser('svc2', 'Service-Pass-2');
    relay = await TcpRelay.start({ host: '127.0.0.1', port: 636 });
    // Many failed logins from one address on purpose: the address limit is not what this file tests.
    system = await startTestSystem({ LOG_LEVEL: 'info', THROTTLE_ADDRESS_FREE_ATTEMPTS: '10000' });
    prisma = createPrismaClient({ url: String(system.testEnv.env.DATABASE_URL), poolSize: 1 });
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'root', admin: true });
    await createUser(system, { username: 'plain' });
    // Both sign in with PBX passwords while the type is still pbx; their tokens outlive the type changes.
    admin = bearer((await login(system, 'root')).body.accessToken);
    plain = bearer((await login(system, 'plain')).body.accessToken);
  }, 180_000);
  afterAll(async () => {
    await prisma?.$disconnect();
    await system?.stop();
    await relay?.down();
    await dc?.dispose();
  }, 60_000);

  /** A Windows account and a Gatehouse user of the same name without a PBX password: a domain user. */
  const domainUser = async (name: string, options: { email?: string; upn?: string } = {}) => {
    const account = await dc.createUser(name, PASSWORD, { upn: options.upn });
    await nats.send(DirectorySubjects.userCreate, {
      domain: 'example.com',
      username: account.name,
      admin: false,
      ...(options.email ? { email: options.email } : {}),
    });
    return account;
  };
  const settings = (overrides: Record<string, unknown> = {}) => ({
    url: dc.ldapsUrl,
    domain: dc.domain,
    bindMode: 'search',
    searchBase: dc.baseDn,
    serviceDn: service.dn,
    servicePassword: service.password,
    timeoutMs: 3000,
    allowPlainLdap: false,
    caCertificate: dc.caCertificate,
    fallbackUrls: [],
    loginAttribute: 'sAMAccountName',
    requiredGroup: null,
    ...overrides,
  });
  const configure = (type: string, overrides: Record<string, unknown> = {}) =>
    api(system, 'PUT', '/api/v1/admin/config/authentication', { headers: admin, body: { type, netlogon: settings(overrides) } });
  const configured = async (type: string, overrides: Record<string, unknown> = {}) => {
    const saved = await configure(type, overrides);
    expect({ status: saved.status, error: saved.body.error }).toEqual({ status: 200, error: undefined });
  };
  const audit = (loginName: string) => prisma.auditEvent.findMany({ where: { login: loginName }, orderBy: { createdAt: 'asc' } });

  describe('saving the settings checks them against the domain controller', () => {
    it.each([
      [
        'a wrong service account password',
        () => ({ serviceDn: typoService.dn, servicePassword: 'Not-The-Password-1' }),
        'netlogon.servicePassword',
        'service_account_refused',
      ],
      ['a search base that does not exist', () => ({ searchBase: 'OU=Nowhere,DC=corp,DC=test' }), 'netlogon.searchBase', 'not_found'],
      [
        'a required group that does not exist',
        () => ({ requiredGroup: 'CN=No Such Group,CN=Users,DC=corp,DC=test' }),
        'netlogon.requiredGroup',
        'not_found',
      ],
      ['no CA for the domain certificate', () => ({ caCertificate: null }), 'netlogon.url', 'tls'],
      ['the DC by address (its certificate names dc1.corp.test)', () => ({ url: 'ldaps://127.0.0.1' }), 'netlogon.url', 'tls'],
      [
        'plain LDAP to a DC that requires TLS',
        () => ({ url: 'ldap://dc1.corp.test', allowPlainLdap: true }),
        'netlogon.url',
        'strong_auth_required',
      ],
      ['a domain controller that is down', () => ({ url: 'ldaps://dc1.corp.test:1' }), 'netlogon.url', 'connection_refused'],
    ])('refuses %s with validation_failed and the reason', async (_, overrides, field, reason) => {
      const refused = await configure('netlogon', overrides());
      expect({
        status: refused.status,
        code: refused.body.error?.code,
        field: refused.body.error?.details?.field,
        reason: refused.body.error?.details?.reason,
      }).toEqual({
        status: 400,
        code: 'validation_failed',
        field,
        reason,
      });
    });

    it('never locks the service account by checking wrong passwords on save: it stops at the guard, then waits', async () => {
      const typo = { serviceDn: typoService.dn, servicePassword: 'Not-The-Password-1' };
      for (let i = 0; i < 4; i++) expect((await configure('netlogon', typo)).status).toBe(400);
      expect(await dc.state(typoService)).toMatchObject({ badPwdCount: 2, locked: false });
      const waiting = await configure('netlogon', { ...typo, servicePassword: typoService.password });
      expect(waiting.body.error).toMatchObject({ code: 'validation_failed', details: { reason: 'bad_password_guard' } });
      expect(await dc.state(typoService)).toMatchObject({ badPwdCount: 2, locked: false });
      await configured('netlogon');
    });
  });

  describe('sign-in', () => {
    let alice: SambaUser;
    beforeAll(async () => {
      alice = await domainUser('alice');
    });

    it.each([
      ['ldaps://, search mode', () => ({ url: dc.ldapsUrl, bindMode: 'search' })],
      ['StartTLS, search mode', () => ({ url: dc.ldapUrl, bindMode: 'search' })],
      ['ldaps://, UPN mode', () => ({ url: dc.ldapsUrl, bindMode: 'upn', searchBase: null, serviceDn: null })],
      ['StartTLS, UPN mode', () => ({ url: dc.ldapUrl, bindMode: 'upn', searchBase: null, serviceDn: null })],
    ])('signs a domain user in over %s and refuses a wrong password', async (_, overrides) => {
      await configured('netlogon', overrides());
      expect((await login(system, alice.name, PASSWORD)).status).toBe(200);
      expect((await login(system, alice.name, WRONG)).body.error.code).toBe('invalid_credentials');
    });

    it('takes CORP\\user and user@corp.test, and refuses another Windows domain without a bind', async () => {
      await configured('netlogon');
      expect((await login(system, `CORP\\${alice.name}`, PASSWORD)).status).toBe(200);
      expect((await login(system, `${alice.name}@corp.test`, PASSWORD)).status).toBe(200);
      const before = (await dc.state(alice)).badPwdCount;
      expect((await login(system, `OTHER\\${alice.name}`, WRONG)).status).toBe(401);
      expect((await dc.state(alice)).badPwdCount).toBe(before);
    });

    it('maps a UPN with an alternative suffix to the user whose email it is (loginAttribute userPrincipalName)', async () => {
      const frank = await domainUser('frank', { upn: 'frank.smith@corp.example', email: 'frank.smith@corp.example' });
      for (const bindMode of ['search', 'upn']) {
        await configured('netlogon', {
          loginAttribute: 'userPrincipalName',
          bindMode,
          ...(bindMode === 'upn' ? { searchBase: null, serviceDn: null } : {}),
        });
        expect({ bindMode, status: (await login(system, 'frank.smith@corp.example', PASSWORD)).status }).toEqual({ bindMode, status: 200 });
        expect((await login(system, frank.name, PASSWORD)).status).toBe(200);
      }
      await configured('netlogon');
    });

    it('lets only members of the required group in, nested groups included', async () => {
      const member = await domainUser('member');
      const outsider = await domainUser('outsider');
      const inner = await dc.createGroup('inner', [member.dn]);
      const outer = await dc.createGroup('outer', [inner]);
      for (const bindMode of ['search', 'upn']) {
        await configured('netlogon', {
          requiredGroup: outer,
          bindMode,
          ...(bindMode === 'upn' ? { searchBase: null, serviceDn: null } : {}),
        });
        expect({ bindMode, status: (await login(system, member.name, PASSWORD)).status }).toEqual({ bindMode, status: 200 });
        const refused = await login(system, outsider.name, PASSWORD);
        expect({ bindMode, status: refused.status, code: refused.body.error.code }).toEqual({
          bindMode,
          status: 403,
          code: 'account_restricted',
        });
        expect((await login(system, outsider.name, WRONG)).body.error.code).toBe('invalid_credentials');
      }
      await configured('netlogon');
    });

    it('names a DC that requires TLS when plain LDAP is allowed (UPN mode, which has no account to check on save)', async () => {
      await configured('netlogon', { url: dc.ldapUrl, allowPlainLdap: true, bindMode: 'upn', searchBase: null, serviceDn: null });
      try {
        const refused = await login(system, alice.name, PASSWORD);
        expect({ status: refused.status, code: refused.body.error.code, reason: refused.body.error.details?.reason }).toEqual({
          status: 503,
          code: 'netlogon_unavailable',
          reason: 'strong_auth_required',
        });
        expect(refused.body.error.message).toContain('requires TLS');
      } finally {
        await configured('netlogon');
      }
    });

    it('tries the next domain controller when the first does not answer', async () => {
      await relay.up();
      await configured('netlogon', { url: `ldaps://dc1.corp.test:${relay.port}`, fallbackUrls: [dc.ldapsUrl] });
      await relay.down();
      try {
        expect((await login(system, alice.name, PASSWORD)).status).toBe(200);
      } finally {
        await relay.up();
        await configured('netlogon');
      }
    });
  });

  describe('account states', () => {
    const cases: [string, (user: SambaUser) => Promise<void>, string, string][] = [
      ['disabled (533)', (user) => dc.disable(user), 'account_disabled', '533'],
      ['must change the password (773)', (user) => dc.mustChangePassword(user), 'password_must_change', '773'],
      ['expired (701)', (user) => dc.expireAccount(user), 'account_expired', '701'],
      ['outside its logon hours (530)', (user) => dc.denyAllLogonHours(user), 'account_restricted', '530'],
    ];
    beforeAll(() => configured('netlogon'));

    it.each(cases)(
      'an account that is %s: the code to the user who knows the password, invalid_credentials to anyone else, a log line and audit row',
      async (_, make, code, adCode) => {
        const user = await domainUser(`st${adCode}`);
        await make(user);
        const seen = system.logs.lines.length;
        const wrong = await login(system, user.name, WRONG);
        expect({ status: wrong.status, code: wrong.body.error.code }).toEqual({ status: 401, code: 'invalid_credentials' });
        const right = await login(system, user.name, PASSWORD);
        expect({ status: right.status, code: right.body.error.code }).toEqual({ status: 403, code });
        expect(system.logs.lines.slice(seen).filter((line) => line.event === 'netlogon.account_refused')).toEqual([
          expect.objectContaining({ adCode, account: expect.stringContaining(user.name) }),
        ]);
        const rows = (await audit(user.name)).map((row) => [row.outcome, (row.details as { adCode?: string } | null)?.adCode ?? null]);
        expect(rows.sort()).toEqual([
          ['failure', null],
          ['refused', adCode],
        ]);
        expect(JSON.stringify(system.logs.lines)).not.toContain(PASSWORD);
      },
    );

    it('a locked account (775, reported for any password) is told to nobody, but logged and audited', async () => {
      const user = await domainUser('st775');
      await dc.lockOut(user);
      for (const password of [PASSWORD, WRONG]) {
        const answer = await login(system, user.name, password);
        expect({ status: answer.status, code: answer.body.error.code }).toEqual({ status: 401, code: 'invalid_credentials' });
      }
      const rows = await audit(user.name);
      expect(rows.filter((row) => row.outcome === 'refused').map((row) => row.details)).toEqual([
        expect.objectContaining({ refusal: 'account_locked', adCode: '775', told: false }),
        expect.objectContaining({ refusal: 'account_locked', adCode: '775', told: false }),
      ]);
    });
  });

  describe('Gatehouse never locks a Windows account (AD lockout threshold 3)', () => {
    beforeAll(() => configured('pbx+netlogon'));

    it('the domain locks accounts after 3 bad passwords', async () => {
      expect(await dc.lockoutThreshold()).toBe(3);
    });

    it('names without a Gatehouse user are never bound: unknown names, DOMAIN\\name and UPNs of real Windows accounts', async () => {
      const victim = await dc.createUser('victim', PASSWORD);
      for (const name of [victim.name, `CORP\\${victim.name}`, victim.upn, 'Administrator', `CORP\\Administrator`, service.name]) {
        for (let i = 0; i < 4; i++) expect((await login(system, name, WRONG)).status).toBe(401);
      }
      expect(await dc.state(victim)).toMatchObject({ badPwdCount: 0, locked: false });
      expect(await dc.state(service)).toMatchObject({ badPwdCount: 0, locked: false });
    });

    it('under pbx+netlogon a user with a PBX password is checked against it only: PBX typos never reach the domain', async () => {
      const account = await dc.createUser('bob', PASSWORD);
      await createUser(system, { username: account.name, password: PBX_PASSWORD });
      for (let i = 0; i < 4; i++) expect((await login(system, account.name, WRONG)).status).toBe(401);
      expect(await dc.state(account)).toMatchObject({ badPwdCount: 0, locked: false });
      expect((await login(system, account.name, PBX_PASSWORD)).status).toBe(200);
    });

    it('domain password typos stop at the guard (default 2) before AD counts 3, and the account stays unlocked', async () => {
      const carol = await domainUser('carol');
      const answers: number[] = [];
      for (let i = 0; i < 6; i++) answers.push((await login(system, carol.name, WRONG)).status);
      expect(answers.slice(0, 2)).toEqual([401, 401]);
      expect(answers.slice(2).every((status) => status === 429)).toBe(true);
      expect(await dc.state(carol)).toMatchObject({ badPwdCount: 2, locked: false });
      // Until the window ends even the right password is not tried: the guard does not know it is right.
      expect((await login(system, carol.name, PASSWORD)).status).toBe(429);
      expect(await dc.state(carol)).toMatchObject({ badPwdCount: 2, locked: false });
    });

    it("search mode reads AD's own count: after the user's typos at a PC, Gatehouse does not make the bind that would lock", async () => {
      const ivan = await domainUser('ivan');
      await dc.badPasswords(ivan, 2); // typed wrong twice at a Windows PC
      const answer = await login(system, ivan.name, PASSWORD);
      expect({ status: answer.status, code: answer.body.error.code }).toEqual({ status: 429, code: 'rate_limited' });
      expect(await dc.state(ivan)).toMatchObject({ badPwdCount: 2, locked: false });
      expect((await audit(ivan.name)).map((row) => (row.details as { reason?: string } | null)?.reason)).toContain('ad_near_lockout');
    });

    it('a service account whose password changed in AD is bound at most twice: logins answer 503, nothing locks it', async () => {
      const rotated = await dc.createUser('svc3', 'Service-Pass-3');
      const frank = await domainUser('frankie');
      await configured('netlogon', { serviceDn: rotated.dn, servicePassword: rotated.password });
      await dc.setPassword(rotated, 'Service-Pass-33');
      const answers = [];
      for (let i = 0; i < 5; i++) {
        const answer = await login(system, frank.name, PASSWORD);
        answers.push([answer.status, answer.body.error?.details?.reason]);
      }
      expect(answers).toEqual([[503, 'service_account'], [503, 'service_account'], ...Array(3).fill([503, 'service_account_guard'])]);
      // AD does not even count a recent previous password (password history), but Gatehouse does not rely on it.
      const state = await dc.state(rotated);
      expect(state.locked).toBe(false);
      expect(state.badPwdCount).toBeLessThanOrEqual(2);
      expect(await dc.state(frank)).toMatchObject({ badPwdCount: 0, locked: false });
      await configured('pbx+netlogon');
    });

    it('a good password resets the guard, as it resets AD badPwdCount', async () => {
      const dave = await domainUser('dave');
      for (let round = 0; round < 3; round++) {
        expect((await login(system, dave.name, WRONG)).status).toBe(401);
        expect((await login(system, dave.name, PASSWORD)).status).toBe(200);
      }
      expect(await dc.state(dave)).toMatchObject({ badPwdCount: 0, locked: false });
    });
  });

  describe('a domain controller outage', () => {
    let erin: SambaUser;
    let pbxUser: SambaUser;
    beforeAll(async () => {
      erin = await domainUser('erin');
      pbxUser = await dc.createUser('pbxer', PASSWORD);
      await createUser(system, { username: pbxUser.name, password: PBX_PASSWORD });
      await relay.up();
      relay.mode = 'relay';
      await configured('pbx+netlogon', { url: `ldaps://dc1.corp.test:${relay.port}`, timeoutMs: 1000 });
    });
    afterAll(async () => {
      relay.mode = 'relay';
      await relay.up();
    });

    it('answers 503 netlogon_unavailable naming the reason, audited, and never counted against the user', async () => {
      await relay.down();
      for (let i = 0; i < 8; i++) {
        const down = await login(system, erin.name, PASSWORD);
        expect({ status: down.status, code: down.body.error.code, reason: down.body.error.details?.reason }).toEqual({
          status: 503,
          code: 'netlogon_unavailable',
          reason: 'connection_refused',
        });
      }
      expect((await audit(erin.name)).map((row) => row.outcome)).toEqual(Array(8).fill('unavailable'));
      await relay.up();
      expect((await login(system, erin.name, PASSWORD)).status).toBe(200);
    });

    it('during the outage wrong PBX passwords and unknown users still get 401, and the PBX password works', async () => {
      await relay.down();
      try {
        expect((await login(system, pbxUser.name, WRONG)).status).toBe(401);
        expect((await login(system, 'nobody-here', WRONG)).status).toBe(401);
        expect((await login(system, `CORP\\${erin.name}x`, WRONG)).status).toBe(401);
        expect((await login(system, pbxUser.name, PBX_PASSWORD)).status).toBe(200);
      } finally {
        await relay.up();
      }
    });

    it('answers within the timeout when the domain controller accepts but never answers', async () => {
      relay.mode = 'hang';
      try {
        const started = Date.now();
        const hung = await login(system, erin.name, PASSWORD);
        expect({ status: hung.status, reason: hung.body.error.details?.reason }).toEqual({ status: 503, reason: 'timeout' });
        expect(Date.now() - started).toBeLessThan(1000 + 2500);
      } finally {
        relay.mode = 'relay';
      }
    });
  });

  describe('POST /admin/config/authentication/netlogon/test', () => {
    beforeAll(() => configured('netlogon'));

    it('binds an account without signing in and says what the domain controller answered', async () => {
      const grace = await dc.createUser('grace', PASSWORD);
      const disabled = await dc.createUser('heidi', PASSWORD);
      await dc.disable(disabled);
      const test = (username: string, password: string, headers = admin) =>
        api(system, 'POST', '/api/v1/admin/config/authentication/netlogon/test', { headers, body: { username, password } });
      expect((await test(`CORP\\${grace.name}`, PASSWORD)).body).toMatchObject({
        ok: true,
        outcome: 'ok',
        identity: { username: grace.name },
      });
      expect((await test(grace.name, WRONG)).body).toMatchObject({ ok: false, outcome: 'wrong_password' });
      expect((await test(disabled.name, PASSWORD)).body).toMatchObject({ ok: false, outcome: 'account_disabled', adCode: '533' });
      expect((await test(grace.name, PASSWORD, plain)).status).toBe(403);
    });
  });
});
