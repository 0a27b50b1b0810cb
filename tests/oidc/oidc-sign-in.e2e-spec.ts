import * as jose from 'jose';
import * as oidc from 'openid-client';
import { createUser, login } from '../auth/support';
import { adminApi, adminToken } from '../directory/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import { authorizationRequest, authorize, CookieJar, grantApps, registerApp, relyingParty } from './support';

const REDIRECT = 'https://grafana.example.net/login/generic_oauth';
/** RFC 6749 5.2: a failed client authentication with HTTP Basic is a 401 with a challenge naming invalid_client. */
const INVALID_CLIENT = {
  status: 401,
  cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: 'invalid_client' }) })],
};

describe('Gatehouse as the OpenID Provider of its apps', () => {
  let system: TestSystem;
  let admin: ReturnType<typeof adminApi>;
  let rootToken: string;
  let grafana: { clientId: string; secret: string };
  let rp: oidc.Configuration;
  let aliceToken: string;
  let aliceId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    rootToken = await adminToken(system);
    admin = adminApi(system, rootToken);
    grafana = await registerApp(admin, 'grafana', {
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: ['https://grafana.example.net/login'],
    });
    await registerApp(admin, 'wiki', { redirectUris: ['https://wiki.example.net/cb'] });
    const alice = await createUser(system, { username: 'alice', email: 'alice@example.com' });
    aliceId = alice.id;
    await grantApps(system, rootToken, alice.id, ['grafana']);
    aliceToken = (await login(system, 'alice')).body.accessToken;
    rp = await relyingParty(system, grafana.clientId, grafana.secret);
  }, 120_000); // a loaded machine (two cores, argon2, Chromium) starts the system slowly
  afterAll(() => system.stop());

  it('publishes discovery at the root with code flow, PKCE S256, revocation, introspection, logout and JWKS', async () => {
    const { status, body } = await api(system, 'GET', '/.well-known/openid-configuration');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: system.url,
      authorization_endpoint: `${system.url}/oidc/auth`,
      token_endpoint: `${system.url}/oidc/token`,
      jwks_uri: `${system.url}/oidc/jwks`,
      end_session_endpoint: `${system.url}/oidc/session/end`,
      revocation_endpoint: `${system.url}/oidc/token/revocation`,
      introspection_endpoint: `${system.url}/oidc/token/introspection`,
      backchannel_logout_supported: true,
      code_challenge_methods_supported: ['S256'],
    });
    const jwks = await api(system, 'GET', '/oidc/jwks', { headers: { 'x-request-id': 'oidc-test-1' } });
    expect(jwks.headers.get('x-request-id')).toBe('oidc-test-1');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });

  it('signs a granted user in with code + PKCE; the ID token carries name, email and domain', async () => {
    const request = await authorizationRequest(rp, REDIRECT);
    const outcome = await authorize(system, request.url, new CookieJar(), REDIRECT, aliceToken);
    expect(outcome.callback?.searchParams.get('code')).toBeTruthy();
    const tokens = await oidc.authorizationCodeGrant(rp, outcome.callback!, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()).toMatchObject({
      sub: aliceId,
      iss: system.url,
      aud: grafana.clientId,
      email: 'alice@example.com',
      domain: 'example.com',
      preferred_username: 'alice@example.com',
      name: 'alice',
    });
    expect(tokens.refresh_token).toBeTruthy();
    const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, aliceId);
    expect(userinfo).toMatchObject({ sub: aliceId, email: 'alice@example.com', domain: 'example.com' });
    const introspection = await oidc.tokenIntrospection(rp, tokens.access_token);
    expect(introspection).toMatchObject({ active: true, sub: aliceId, client_id: grafana.clientId });
  });

  it('answers access_denied to a user the app is not granted to', async () => {
    await createUser(system, { username: 'bob' });
    const bobToken = (await login(system, 'bob')).body.accessToken;
    const request = await authorizationRequest(rp, REDIRECT);
    const outcome = await authorize(system, request.url, new CookieJar(), REDIRECT, bobToken);
    expect(outcome.callback?.searchParams.get('error')).toBe('access_denied');
    expect(outcome.callback?.searchParams.get('code')).toBeNull();
  });

  /** A full sign-in of alice; returns the tokens and the browser's cookie jar. */
  async function signIn(jar = new CookieJar()) {
    const request = await authorizationRequest(rp, REDIRECT);
    const outcome = await authorize(system, request.url, jar, REDIRECT, aliceToken);
    const tokens = await oidc.authorizationCodeGrant(rp, outcome.callback!, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    return { tokens, jar, request, callback: outcome.callback! };
  }

  it('signs in again without a prompt from the browser session (prompt=none)', async () => {
    const { jar } = await signIn();
    const request = await authorizationRequest(rp, REDIRECT);
    request.url.searchParams.set('prompt', 'none');
    const outcome = await authorize(system, request.url, jar, REDIRECT);
    expect(outcome.callback?.searchParams.get('code')).toBeTruthy();
    const tokens = await oidc.authorizationCodeGrant(rp, outcome.callback!, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()?.sub).toBe(aliceId);
  });

  it('signs in to another granted app without a prompt once the browser signed in to one', async () => {
    await grantApps(system, rootToken, aliceId, ['grafana', 'wiki']);
    try {
      const { jar } = await signIn();
      const wikiRp = await relyingParty(system, 'wiki@example.com', 'wiki-secret-0123456789');
      const request = await authorizationRequest(wikiRp, 'https://wiki.example.net/cb', 'openid profile');
      request.url.searchParams.set('prompt', 'none');
      const outcome = await authorize(system, request.url, jar, 'https://wiki.example.net/cb');
      const tokens = await oidc.authorizationCodeGrant(wikiRp, outcome.callback!, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      expect(tokens.claims()).toMatchObject({ sub: aliceId, aud: 'wiki@example.com' });
    } finally {
      await grantApps(system, rootToken, aliceId, ['grafana']);
    }
  });

  it('never signs in silently to an app the user is not granted', async () => {
    const { jar } = await signIn();
    const wikiRp = await relyingParty(system, 'wiki@example.com', 'wiki-secret-0123456789');
    const request = await authorizationRequest(wikiRp, 'https://wiki.example.net/cb', 'openid');
    request.url.searchParams.set('prompt', 'none');
    const outcome = await authorize(system, request.url, jar, 'https://wiki.example.net/cb');
    expect(outcome.callback?.searchParams.get('code')).toBeNull();
    expect(outcome.callback?.searchParams.get('error')).toBe('consent_required');
    // With the page, the user is told access_denied.
    request.url.searchParams.delete('prompt');
    expect((await authorize(system, request.url, jar, 'https://wiki.example.net/cb', aliceToken)).callback?.searchParams.get('error')).toBe(
      'access_denied',
    );
  });

  it('answers login_required to prompt=none from a browser without a session', async () => {
    const request = await authorizationRequest(rp, REDIRECT);
    request.url.searchParams.set('prompt', 'none');
    const outcome = await authorize(system, request.url, new CookieJar(), REDIRECT);
    expect(outcome.callback?.searchParams.get('error')).toBe('login_required');
  });

  it('rotates the refresh token on use', async () => {
    const { tokens } = await signIn();
    const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await oidc.fetchUserInfo(rp, refreshed.access_token, aliceId)).sub).toBe(aliceId);
  });

  it('refuses the refresh token once the app is taken away from the user', async () => {
    const { tokens } = await signIn();
    await grantApps(system, rootToken, aliceId, []);
    try {
      await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    } finally {
      await grantApps(system, rootToken, aliceId, ['grafana']);
    }
  });

  it('revokes the whole family when a used refresh token comes back (a stolen copy)', async () => {
    const { tokens } = await signIn();
    const first = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The legitimate holder's newer token and access token died with it.
    await expect(oidc.refreshTokenGrant(rp, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await oidc.tokenIntrospection(rp, first.access_token)).toMatchObject({ active: false });
  });

  it('refuses a replayed authorization code and revokes what the first exchange issued', async () => {
    const { tokens, callback, request } = await signIn();
    await expect(
      oidc.authorizationCodeGrant(rp, callback, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await oidc.tokenIntrospection(rp, tokens.access_token)).toMatchObject({ active: false });
  });

  it('refuses an expired authorization code', async () => {
    const request = await authorizationRequest(rp, REDIRECT);
    const outcome = await authorize(system, request.url, new CookieJar(), REDIRECT, aliceToken);
    system.clock.advance(61_000);
    await expect(
      oidc.authorizationCodeGrant(rp, outcome.callback!, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('shows an error page, never a redirect, for a redirect_uri the app did not register', async () => {
    const request = await authorizationRequest(rp, REDIRECT);
    request.url.searchParams.set('redirect_uri', 'https://evil.example.org/cb');
    const outcome = await authorize(system, request.url, new CookieJar(), 'https://evil.example.org/cb', aliceToken);
    expect(outcome.callback).toBeUndefined();
    expect(outcome.errorPage).toMatchObject({ status: 400 });
    expect(outcome.errorPage!.body).toContain('redirect_uri');
  });

  it('refuses an authorization request without PKCE', async () => {
    const request = await authorizationRequest(rp, REDIRECT);
    request.url.searchParams.delete('code_challenge');
    request.url.searchParams.delete('code_challenge_method');
    const outcome = await authorize(system, request.url, new CookieJar(), REDIRECT, aliceToken);
    expect(outcome.callback?.searchParams.get('error')).toBe('invalid_request');
    expect(outcome.callback?.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('shows an error page for an unknown client and for an app that is no OIDC client', async () => {
    for (const clientId of ['nosuchapp@example.com', 'root@example.com', 'grafana@other.example']) {
      const request = await authorizationRequest(rp, REDIRECT);
      request.url.searchParams.set('client_id', clientId);
      const outcome = await authorize(system, request.url, new CookieJar(), REDIRECT, aliceToken);
      expect(outcome.errorPage).toMatchObject({ status: 400 });
      expect(outcome.errorPage!.body).toContain('invalid_client');
    }
    const unknown = await relyingParty(system, 'nosuchapp@example.com', 'x');
    await expect(oidc.refreshTokenGrant(unknown, 'whatever')).rejects.toMatchObject(INVALID_CLIENT);
  });

  it('refuses the token endpoint with a wrong client secret', async () => {
    const { callback, request } = await (async () => {
      const req = await authorizationRequest(rp, REDIRECT);
      return { request: req, callback: (await authorize(system, req.url, new CookieJar(), REDIRECT, aliceToken)).callback! };
    })();
    const wrong = await relyingParty(system, grafana.clientId, 'not-the-secret');
    await expect(
      oidc.authorizationCodeGrant(wrong, callback, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      }),
    ).rejects.toMatchObject(INVALID_CLIENT);
  });

  it('authenticates an app by its signed assertion (private_key_jwt) and refuses a private key in its settings', async () => {
    const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
    const publicJwk = { ...(await jose.exportJWK(publicKey)), kid: 'notes-1', alg: 'ES256', use: 'sig' };
    const refused = await admin('POST', '/admin/apps', {
      id: 'leaky',
      name: 'Leaky',
      url: 'https://apps.example.com/leaky',
      oidc: {
        redirectUris: ['https://leaky.example.net/cb'],
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [await jose.exportJWK(privateKey)] },
      },
    });
    expect(refused.status).toBe(400);
    await admin(
      'POST',
      '/admin/apps',
      {
        id: 'notes',
        name: 'Notes',
        url: 'https://apps.example.com/notes',
        oidc: { redirectUris: ['https://notes.example.net/cb'], tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk] } },
      },
      201,
    );
    await grantApps(system, rootToken, aliceId, ['grafana', 'notes']);
    try {
      const notes = await oidc.discovery(
        new URL(system.url),
        'notes@example.com',
        {},
        oidc.PrivateKeyJwt({ key: privateKey, kid: 'notes-1' }),
        { execute: [oidc.allowInsecureRequests] },
      );
      const request = await authorizationRequest(notes, 'https://notes.example.net/cb', 'openid');
      const outcome = await authorize(system, request.url, new CookieJar(), 'https://notes.example.net/cb', aliceToken);
      const tokens = await oidc.authorizationCodeGrant(notes, outcome.callback!, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      expect(tokens.claims()?.sub).toBe(aliceId);
      // A secret is no way in for a key-authenticated app.
      const bySecret = await relyingParty(system, 'notes@example.com', 'guess');
      await expect(oidc.refreshTokenGrant(bySecret, tokens.refresh_token!)).rejects.toMatchObject(INVALID_CLIENT);
    } finally {
      await grantApps(system, rootToken, aliceId, ['grafana']);
    }
  });

  it('revokes a refresh token at the revocation endpoint', async () => {
    const { tokens } = await signIn();
    await oidc.tokenRevocation(rp, tokens.refresh_token!);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('ends the browser session at RP-initiated logout and returns to a registered URI', async () => {
    const { tokens, jar } = await signIn();
    const logout = oidc.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://grafana.example.net/login',
      state: 'bye',
    });
    let response = await fetch(logout, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(response);
    const form = await response.text();
    // The provider asks the browser to confirm with a form post carrying its xsrf token.
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
    const action = /action="([^"]+)"/.exec(form)?.[1];
    expect(xsrf && action).toBeTruthy();
    response = await fetch(new URL(action!, system.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }),
    });
    jar.take(response);
    expect(response.headers.get('location')).toBe('https://grafana.example.net/login?state=bye');
    const request = await authorizationRequest(rp, REDIRECT);
    request.url.searchParams.set('prompt', 'none');
    expect((await authorize(system, request.url, jar, REDIRECT)).callback?.searchParams.get('error')).toBe('login_required');
  });
});
