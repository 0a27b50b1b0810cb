import { sha256 } from '@gatehouse/crypto';
import { NatsClient } from '@gatehouse/platform';
import { TestOidcProvider } from '@gatehouse/testing';
import { DirectorySubjects, FederationSubjects, AuthSettingsSubjects, SessionsSubjects } from '@gatehouse/contracts';
import { api, startTestSystem, TestSystem } from '../support/system';

const APP = 'https://app.example.com';

describe('OAuth2/OIDC login through the gateway against a real OpenID provider', () => {
  let system: TestSystem;
  let provider: TestOidcProvider;
  let nats: NatsClient;
  let redirectUri: string;

  beforeAll(async () => {
    system = await startTestSystem();
    nats = system.gateway.get(NatsClient, { strict: false });
    redirectUri = `${system.url}/api/v1/auth/oauth2/callback`;
    provider = await TestOidcProvider.start({
      clients: [{ client_id: 'gatehouse', client_secret: 'client-Secret-1', redirect_uris: [redirectUri] }],
      accounts: {
        'sub-alice': { email: 'alice@idp.example', email_verified: true },
        'sub-stranger': { email: 'stranger@idp.example', email_verified: true },
      },
    });
    await nats.send(DirectorySubjects.userCreate, { domain: 'example.com', username: 'alice', email: 'alice@idp.example' });
    await nats.send(FederationSubjects.configSet, {
      actor: { kind: 'system', service: 'test' },
      oidc: {
        issuer: provider.issuer,
        clientId: 'gatehouse',
        clientSecret: 'client-Secret-1',
        redirectUri,
        allowedOrigins: [APP],
        providerName: 'Test IdP',
        oauth2Domain: null,
      },
    });
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, type: 'pbx+oauth2' });
  });
  afterAll(async () => {
    await system.stop();
    await provider.stop();
  });

  /** The cookies the gateway set in "the browser" (the flows it started). */
  const browserCookies: string[] = [];
  const start = async (returnTo = `${APP}/home`, application?: string) => {
    const asked = application ? `&application=${application}` : '';
    const response = await fetch(`${system.url}/api/v1/auth/oauth2/start?returnTo=${encodeURIComponent(returnTo)}${asked}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    browserCookies.push(response.headers.get('set-cookie')!.split(';')[0]); // as the browser keeps it
    return response.headers.get('location')!;
  };
  const finish = (callbackUrl: string, cookies = browserCookies) =>
    fetch(callbackUrl, { redirect: 'manual', headers: { cookie: cookies.join('; ') } });

  it('refuses an issuer whose discovery document cannot be fetched, with a clear error', async () => {
    await expect(
      nats.send(FederationSubjects.configSet, {
        actor: { kind: 'system', service: 'test' },
        oidc: {
          issuer: 'http://127.0.0.1:1/nowhere',
          clientId: 'x',
          redirectUri,
          allowedOrigins: [],
          providerName: '',
          oauth2Domain: null,
        },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('discovery document') });
  });

  it('logs in: start -> provider login -> callback hands the mapped user a session at returnTo', async () => {
    const authorizationUrl = new URL(await start());
    expect(authorizationUrl.origin).toBe(provider.issuer);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();

    const response = await finish(await provider.login(authorizationUrl.toString(), 'sub-alice', redirectUri));

    expect(response.status).toBe(302);
    const landing = new URL(response.headers.get('location')!);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${APP}/home`);
    const handed = new URLSearchParams(landing.hash.slice(1));
    expect(handed.get('sessionId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(handed.get('accessToken')).toBeTruthy();
    const me = await api(system, 'GET', '/api/v1/me/sessions', { headers: { authorization: `Bearer ${handed.get('accessToken')}` } });
    expect(me.status).toBe(200);
    // no lifetime asked for: 24 h, as for a password login without `application`
    expect(me.body.sessions.find((s: { id: string }) => s.id === handed.get('sessionId'))).toMatchObject({ application: 'default' });
  });

  it('gives the session the lifetime asked for at the start ("Keep me signed in"), and refuses an unknown one', async () => {
    const response = await finish(await provider.login(await start(`${APP}/home`, 'longLogin'), 'sub-alice', redirectUri));
    const handed = new URLSearchParams(new URL(response.headers.get('location')!).hash.slice(1));
    const me = await api(system, 'GET', '/api/v1/me/sessions', { headers: { authorization: `Bearer ${handed.get('accessToken')}` } });
    expect(me.body.sessions.find((s: { id: string }) => s.id === handed.get('sessionId'))).toMatchObject({ application: 'longLogin' });

    const refused = await api(system, 'GET', `/api/v1/auth/oauth2/start?returnTo=${encodeURIComponent(`${APP}/home`)}&application=forever`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
  });

  it('refuses a returnTo outside the configured client origins (no open redirect)', async () => {
    const response = await api(system, 'GET', `/api/v1/auth/oauth2/start?returnTo=${encodeURIComponent('https://evil.example/steal')}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'return_to_not_allowed' } });
  });

  it('refuses a tampered state', async () => {
    const callback = new URL(await provider.login(await start(), 'sub-alice', redirectUri));
    const tampered = `${callback.searchParams.get('state')}x`;
    callback.searchParams.set('state', tampered);
    // even with a flow cookie for the tampered value, federation's own check refuses it
    const response = await finish(callback.toString(), [...browserCookies, `gh_oauth2_${sha256(tampered).slice(0, 32)}=1`]);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('oauth2_failed');
  });

  it('refuses a callback in a browser that did not start the flow (login CSRF), and binds the flow with a safe cookie', async () => {
    const response = await fetch(`${system.url}/api/v1/auth/oauth2/start?returnTo=${encodeURIComponent(`${APP}/home`)}`, {
      redirect: 'manual',
    });
    expect(response.headers.get('set-cookie')).toMatch(
      /^gh_oauth2_[0-9a-f]{32}=default; Path=\/api\/v1\/auth\/oauth2; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );
    // the attacker logs in at the provider with their own account and hands the victim the callback link
    const callback = await provider.login(response.headers.get('location')!, 'sub-alice', redirectUri);
    const victim = await finish(callback, []);
    expect(victim.status).toBe(401);
    expect(await victim.text()).toContain('oauth2_failed');
    expect(victim.headers.get('location')).toBeNull();
  });

  it('refuses a replayed callback (the code and state are single use)', async () => {
    const callback = await provider.login(await start(), 'sub-alice', redirectUri);
    expect((await finish(callback)).status).toBe(302);
    const replay = await finish(callback);
    expect(replay.status).toBe(401);
  });

  it('refuses an ID token carrying another nonce than the one the flow started with', async () => {
    const authorizationUrl = new URL(await start());
    authorizationUrl.searchParams.set('nonce', 'attacker-chosen-nonce');
    const response = await finish(await provider.login(authorizationUrl.toString(), 'sub-alice', redirectUri));
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('oauth2_failed');
  });

  it('shows a plain 403 page for an identity that maps to no user', async () => {
    const response = await finish(await provider.login(await start(), 'sub-stranger', redirectUri));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('text/html');
    // The headers of every server-made page: no script, no referrer (the callback URL carries the code), no caching.
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('identity_not_mapped');
    expect(html).not.toMatch(/at .*\.ts:\d+/);
  });

  it('shows the provider name on the login form while oauth2 is enabled', async () => {
    const { body } = await api(system, 'GET', '/api/v1/auth/methods');
    expect(body).toMatchObject({ password: true, netlogon: false, oauth2: { providerName: 'Test IdP' } });
  });

  it('hands the device a pending login when the policy wants approval for OAuth2 logins', async () => {
    await nats.send(AuthSettingsSubjects.set, {
      actor: { kind: 'system', service: 'test' },
      twoFactor: true,
      federatedTwoFactor: { oauth2: true },
      allowLoginWithoutApprovalPath: false,
    });
    // alice signs out everywhere: no device to approve from, no mail account configured.
    const { user } = await nats.send(DirectorySubjects.userFindByLogin, { login: 'alice', defaultDomain: 'example.com' });
    await nats.send(SessionsSubjects.revokeAllOfUser, { userId: user!.id });
    const refused = await finish(await provider.login(await start(), 'sub-alice', redirectUri));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('needs approval');

    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, allowLoginWithoutApprovalPath: true });
    const first = await finish(await provider.login(await start(), 'sub-alice', redirectUri));
    expect(new URLSearchParams(new URL(first.headers.get('location')!).hash.slice(1)).get('sessionId')).toBeTruthy();

    // Now alice has a signed-in device, so the next OAuth2 login waits for it.
    const second = await finish(await provider.login(await start(), 'sub-alice', redirectUri));
    expect(second.status).toBe(302);
    const handed = new URLSearchParams(new URL(second.headers.get('location')!).hash.slice(1));
    expect(handed.get('sessionId')).toBeNull();
    expect(handed.get('pendingId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(handed.get('securityCode')).toMatch(/^\d{6}$/);
    await nats.send(AuthSettingsSubjects.set, {
      actor: { kind: 'system', service: 'test' },
      twoFactor: false,
      allowLoginWithoutApprovalPath: false,
    });
  });

  it('refuses OAuth2 logins with a clear page when the auth type does not allow them', async () => {
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, type: 'pbx' });
    const response = await finish(await provider.login(await start(), 'sub-alice', redirectUri));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('not enabled');
    expect((await api(system, 'GET', '/api/v1/auth/methods')).body.oauth2).toBeNull();
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, type: 'pbx+oauth2' });
  });
});
