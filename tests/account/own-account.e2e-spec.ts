import { SmtpSink } from '@gatehouse/testing';
import { configureMail, linkIn, mailTo } from '../approvals/support';
import { bearer, createUser, GOOD_PASSWORD, login, mintToken } from '../auth/support';
import { adminApi, adminToken } from '../directory/support';
import { api, startTestSystem, TestSystem } from '../support/system';

const NEW_PASSWORD = 'quartz-lantern-mosaic-71';

describe("the account's own settings: password, other devices, profile", () => {
  let system: TestSystem;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    system = await startTestSystem();
    await configureMail(system, sink);
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await sink?.stop();
  });

  const call = (token: string, method: string, path: string, body?: unknown) =>
    api(system, method, `/api/v1/me${path}`, { body, headers: bearer(token) });
  const sessionsOf = async (token: string) =>
    (await call(token, 'GET', '/sessions')).body.sessions as Array<{ id: string; current: boolean }>;

  it('changes the password with the current one, ends the other sessions when asked, and the new password signs in', async () => {
    await createUser(system, { username: 'pia' });
    const other = (await login(system, 'pia')).body;
    const mine = (await login(system, 'pia')).body;
    expect(await sessionsOf(mine.accessToken)).toHaveLength(2);
    expect((await mintToken(system, other.session)).status).toBe(200);

    const wrong = await call(mine.accessToken, 'POST', '/password', { currentPassword: 'not-it', newPassword: NEW_PASSWORD });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'invalid_credentials']);
    const weak = await call(mine.accessToken, 'POST', '/password', { currentPassword: GOOD_PASSWORD, newPassword: 'abc' });
    expect([weak.status, weak.body.error.code]).toEqual([422, 'weak_password']);
    const unknown = await call(mine.accessToken, 'POST', '/password', { newPassword: NEW_PASSWORD, extra: true });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'unknown_field']);

    const changed = await call(mine.accessToken, 'POST', '/password', {
      currentPassword: GOOD_PASSWORD,
      newPassword: NEW_PASSWORD,
      endOtherSessions: true,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ changed: true, sessionsEnded: 1 });
    // The other device is out: its session can mint no token; this one goes on.
    expect((await mintToken(system, other.session)).status).toBe(401);
    expect((await sessionsOf(mine.accessToken)).map((session) => session.current)).toEqual([true]);
    expect((await login(system, 'pia')).status).toBe(401);
    expect((await login(system, 'pia', NEW_PASSWORD)).status).toBe(200);
  });

  it('takes a recent sign-in instead of the current password, and only a recent one', async () => {
    await createUser(system, { username: 'quinn' });
    const fresh = (await login(system, 'quinn')).body;
    const keep = await call(fresh.accessToken, 'POST', '/password', { newPassword: NEW_PASSWORD });
    expect(keep.body).toEqual({ changed: true, sessionsEnded: 0 });

    system.clock.advance(6 * 60_000);
    const old = (await mintToken(system, fresh.session)).body.accessToken as string;
    const refused = await call(old, 'POST', '/password', { newPassword: 'another-long-passphrase-92' });
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
      403,
      'forbidden',
      { reason: 'current_password_required' },
    ]);
    expect((await login(system, 'quinn', NEW_PASSWORD)).status).toBe(200);
  });

  it('logs out all other devices and keeps this one', async () => {
    await createUser(system, { username: 'rae' });
    const a = (await login(system, 'rae')).body;
    const b = (await login(system, 'rae')).body;
    const mine = (await login(system, 'rae')).body;
    expect((await mintToken(system, a.session)).status).toBe(200);
    const ended = await call(mine.accessToken, 'POST', '/logout-others');
    expect(ended.body).toEqual({ sessionsEnded: 2 });
    for (const gone of [a, b]) expect((await mintToken(system, gone.session)).status).toBe(401);
    expect(await sessionsOf(mine.accessToken)).toEqual([expect.objectContaining({ id: mine.session.id, current: true })]);
    expect((await call(mine.accessToken, 'POST', '/logout-others')).body).toEqual({ sessionsEnded: 0 });
    // An API key speaks for the account but is no signed-in device: it may neither end sessions nor change the password.
    const { key } = (await call(mine.accessToken, 'POST', '/api-keys', { name: 'script' })).body as { key: string };
    const withKey = (path: string, body?: unknown) =>
      api(system, 'POST', `/api/v1/me${path}`, { body, headers: { authorization: `ApiKey ${key}` } });
    for (const refused of [
      await withKey('/logout-others'),
      await withKey('/password', { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD }),
    ])
      expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect((await login(system, 'rae')).status).toBe(200);
  });

  it('edits the display name and language, and refuses what is not one', async () => {
    await createUser(system, { username: 'sam' });
    const token = (await login(system, 'sam')).body.accessToken as string;
    const edited = await call(token, 'PATCH', '/profile', { displayName: '  Sam Smith ', language: 'de' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ username: 'sam', displayName: 'Sam Smith', language: 'de' });
    expect((await call(token, 'GET', '')).body).toMatchObject({ displayName: 'Sam Smith', language: 'de' });
    const cases: Array<[object, string]> = [
      [{ language: 'xx' }, 'validation_failed'],
      [{}, 'validation_failed'],
      [{ displayName: 'x'.repeat(201) }, 'validation_failed'],
      [{ email: 'sam@example.com' }, 'unknown_field'],
      [{ admin: true }, 'unknown_field'],
    ];
    for (const [body, code] of cases) {
      const refused = await call(token, 'PATCH', '/profile', body);
      expect([refused.status, refused.body.error.code]).toEqual([400, code]);
    }
  });

  it('changes the email only once the link mailed to the new address is confirmed, and only the newest link, once', async () => {
    await createUser(system, { username: 'tia', email: 'tia@example.com' });
    await createUser(system, { username: 'uma', email: 'uma@example.com' });
    const token = (await login(system, 'tia')).body.accessToken as string;
    const taken = await call(token, 'POST', '/email', { email: 'UMA@example.com' });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'email_exists']);
    const bad = await call(token, 'POST', '/email', { email: 'not an address' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);

    expect((await call(token, 'POST', '/email', { email: 'tia.first@example.org' })).status).toBe(202);
    const asked = await call(token, 'POST', '/email', { email: 'tia.new@example.org' });
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ pendingEmail: 'tia.new@example.org', expiresAt: expect.any(String) });
    // Nothing changes before the confirmation.
    expect((await call(token, 'GET', '')).body.email).toBe('tia@example.com');

    // The mail links to the web client's page (`/#/account/email/<token>`), which confirms through the API route.
    const mailed = async (to: string) => {
      const url = linkIn((await mailTo(sink, to, '/account/email/')).text, '/account/email');
      expect(url).toMatch(new RegExp(`^${system.url}/#/account/email/`));
      return url.replace('/#/account/email/', '/api/v1/account/email/');
    };
    const first = await mailed('tia.first@example.org');
    const link = await mailed('tia.new@example.org');
    const replaced = await fetch(first, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(replaced.status).toBe(404);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('tia.new@example.org');
    expect((await call(token, 'GET', '')).body.email).toBe('tia@example.com'); // the GET changed nothing

    const confirmed = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=yes',
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Email address changed');
    expect((await call(token, 'GET', '')).body.email).toBe('tia.new@example.org');
    expect((await fetch(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
  });

  it('keeps an external user after its logout only when its autodelete setting says so', async () => {
    const admin = adminApi(system, await adminToken(system));
    const signIn = async () => {
      const { user } = (await admin('POST', '/admin/external-users', {}, 201)).body as { user: { id: string; username: string } };
      const session = await login(system, user.username, 'anything');
      expect(session.status).toBe(200);
      return { id: user.id, token: session.body.accessToken as string };
    };
    const exists = async (id: string) => (await admin('GET', `/admin/users/${id}`)).status === 200;
    const until = async (done: () => Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await done()) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 100));
      return done();
    };

    const kept = await signIn();
    expect((await call(kept.token, 'GET', '/autodelete')).body).toEqual({ autodelete: true });
    expect((await call(kept.token, 'PUT', '/autodelete', { autodelete: false })).body).toEqual({ autodelete: false });
    const refused = await call(kept.token, 'PUT', '/autodelete', { autodelete: 'no' });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await call(kept.token, 'DELETE', '/sessions/current')).status).toBe(200);

    const gone = await signIn();
    expect((await call(gone.token, 'DELETE', '/sessions/current')).status).toBe(200);
    expect(await until(async () => !(await exists(gone.id)))).toBe(true);
    expect(await exists(kept.id)).toBe(true);

    const member = (await login(system, 'sam')).body.accessToken as string;
    const notExternal = await call(member, 'GET', '/autodelete');
    expect([notExternal.status, notExternal.body.error.code]).toEqual([422, 'unprocessable']);
  });
});
