import { NatsClient } from '@gatehouse/platform';
import { DirectorySubjects, AuthSubjects } from '@gatehouse/contracts';
import { bearer, createUser, GOOD_PASSWORD, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

// The test system's GATEHOUSE_DOMAIN is example.com: its admins are installation administrators.
const TENANT = 'tenant.example';
const OTHER = 'other.example';
const DAY = 86_400_000;

describe('GET /admin/audit: the audit log, filtered, paged and scoped by administrator role', () => {
  let system: TestSystem;
  let nats: NatsClient;
  let root: Record<string, string>;
  let dora: Record<string, string>;
  let doraId: string;
  let tenantUserId: string;
  const audit = (headers: Record<string, string>, query = '') => api(system, 'GET', `/api/v1/admin/audit${query}`, { headers });

  const tenantUser = async (domain: string, username: string, admin = false) => {
    const { user } = await nats.send(DirectorySubjects.userCreate, { domain, username, admin });
    await nats.send(AuthSubjects.passwordSet, { userId: user.id, password: GOOD_PASSWORD });
    return user.id;
  };

  beforeAll(async () => {
    system = await startTestSystem();
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'root', admin: true });
    doraId = await tenantUser(TENANT, 'dora', true);
    tenantUserId = await tenantUser(TENANT, 'tina');
    await tenantUser(OTHER, 'otto');
    root = bearer((await login(system, 'root')).body.accessToken);
    dora = bearer((await login(system, `dora@${TENANT}`)).body.accessToken);
    await login(system, `tina@${TENANT}`, 'wrong password');
    await login(system, `tina@${TENANT}`);
    await login(system, `otto@${OTHER}`, 'wrong password');
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("an installation admin reads every domain's logins, newest first, each with its domain", async () => {
    const { status, body } = await audit(root, '?type=login');
    expect(status).toBe(200);
    const domains = new Set(body.items.map((item: { domain: string }) => item.domain));
    expect(domains).toEqual(new Set(['example.com', TENANT, OTHER]));
    const times = body.items.map((item: { at: string }) => item.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(body).toMatchObject({ total: body.items.length, offset: 0, limit: 50 });
  });

  it("a domain admin sees only their own domain's rows", async () => {
    const { status, body } = await audit(dora, '?type=login');
    expect(status).toBe(200);
    expect(body.items.length).toBeGreaterThanOrEqual(3);
    expect(body.items.every((item: { domain: string }) => item.domain === TENANT)).toBe(true);
  });

  it('a domain admin cannot ask for another domain, and gets no rows of it by filtering on its users', async () => {
    const refused = await audit(dora, `?domain=${OTHER}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const byLogin = await audit(dora, `?user=${encodeURIComponent(`otto@${OTHER}`)}`);
    expect(byLogin.body.items).toEqual([]);
  });

  it('filters by user, type and outcome', async () => {
    const failures = await audit(root, `?user=${tenantUserId}&type=login&outcome=failure`);
    expect(failures.body.items).toHaveLength(1);
    expect(failures.body.items[0]).toMatchObject({
      userId: tenantUserId,
      type: 'login',
      outcome: 'failure',
      login: `tina@${TENANT}`,
      domain: TENANT,
    });
    const byLogin = await audit(root, `?user=${encodeURIComponent(`TINA@${TENANT}`)}&outcome=success`);
    expect(byLogin.body.items.map((item: { userId: string }) => item.userId)).toEqual([tenantUserId]);
  });

  it('filters by time range with the clock the rows were written by', async () => {
    const before = system.clock.now().toISOString();
    system.clock.advance(60_000);
    await login(system, `tina@${TENANT}`);
    const after = (await audit(root, `?user=${tenantUserId}&from=${encodeURIComponent(new Date(Date.parse(before) + 1).toISOString())}`))
      .body.items;
    expect(after).toHaveLength(1);
    const until = (await audit(root, `?user=${tenantUserId}&to=${encodeURIComponent(new Date(Date.parse(before) + 1).toISOString())}`)).body
      .items;
    expect(until.length).toBeGreaterThanOrEqual(2);
    expect(until.every((item: { at: string }) => item.at <= before)).toBe(true);
  });

  it('pages with offset and limit, and refuses bad filters with the field', async () => {
    const all = (await audit(root, '?limit=500')).body;
    const page = (await audit(root, '?offset=1&limit=2')).body;
    expect(page).toMatchObject({ total: all.total, offset: 1, limit: 2 });
    expect(page.items.map((item: { id: string }) => item.id)).toEqual(all.items.slice(1, 3).map((item: { id: string }) => item.id));
    const bad = await audit(root, '?outcome=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'outcome' } });
    const unknown = await audit(root, '?colour=red');
    expect(unknown.body.error.code).toBe('unknown_field');
    const reversed = await audit(root, '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(reversed.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'from' } });
  });

  it('records an admin change with who, what and the fields sent, never the secret', async () => {
    const created = await api(system, 'POST', '/api/v1/admin/users', {
      headers: dora,
      body: { username: 'newbie', displayName: 'New Bie', password: 'a much better secret 93' },
    });
    expect(created.status).toBe(201);
    const patched = await api(system, 'PATCH', `/api/v1/admin/users/${created.body.id}`, {
      headers: dora,
      body: { displayName: 'Renamed' },
    });
    expect(patched.status).toBe(200);
    const { body } = await audit(dora, '?type=admin.change');
    // The test clock stands still: rows of one instant are found by route, not by position.
    const byRoute = (route: string) => body.items.find((item: { details: { route: string } }) => item.details.route === route);
    const [patch, create] = [byRoute('PATCH /admin/users/:id'), byRoute('POST /admin/users')];
    expect(create).toMatchObject({
      userId: doraId,
      domain: TENANT,
      outcome: 'changed',
      details: { route: 'POST /admin/users', changes: { username: 'newbie', displayName: 'New Bie', password: '(set)' } },
    });
    expect(patch).toMatchObject({
      domain: TENANT,
      details: { route: 'PATCH /admin/users/:id', target: { id: created.body.id }, changes: { displayName: 'Renamed' } },
    });
    expect(JSON.stringify(body)).not.toContain('a much better secret 93');
  });

  it("records a domain admin's refused attempt at installation settings, which only installation admins see", async () => {
    const attempt = await api(system, 'PUT', '/api/v1/admin/config/authentication', { headers: dora, body: { twoFactor: false } });
    expect(attempt.status).toBe(403);
    const seen = (await audit(root, `?type=admin.change&outcome=refused&user=${doraId}`)).body.items;
    expect(seen[0]).toMatchObject({
      domain: null,
      details: { route: 'PUT /admin/config/authentication', error: 'forbidden', changes: { twoFactor: false } },
    });
    expect((await audit(dora, '?outcome=refused')).body.items).toEqual([]);
  });

  it('keeps rows for the retention setting, which only installation admins may change', async () => {
    expect((await api(system, 'GET', '/api/v1/admin/audit/settings', { headers: root })).body).toEqual({ retentionDays: 365 });
    expect((await api(system, 'PUT', '/api/v1/admin/audit/settings', { headers: dora, body: { retentionDays: 1 } })).status).toBe(403);
    const bad = await api(system, 'PUT', '/api/v1/admin/audit/settings', { headers: root, body: { retentionDays: 0 } });
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', details: { field: 'retentionDays' } });
    const total = (await audit(root)).body.total;
    system.clock.advance(10 * DAY);
    root = bearer((await login(system, 'root')).body.accessToken);
    const saved = await api(system, 'PUT', '/api/v1/admin/audit/settings', { headers: root, body: { retentionDays: 7 } });
    expect(saved.body).toEqual({ retentionDays: 7 });
    // Saving runs a sweep at once (the interval job runs the same sweep).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const left = (await audit(root, '?limit=500')).body.items;
    expect(left.length).toBeLessThan(total);
    expect(left.every((item: { at: string }) => Date.parse(item.at) >= system.clock.nowMs() - 7 * DAY)).toBe(true);
    expect(left.some((item: { details: { route?: string } }) => item.details?.route === 'PUT /admin/audit/settings')).toBe(true);
  });
});
