import { NatsClient } from '@gatehouse/platform';
import { TestOidcProvider } from '@gatehouse/testing';
import { DirectorySubjects, AuthSettingsSubjects, FederationSubjects } from '@gatehouse/contracts';
import { startTestSystem, TestSystem } from '../support/system';
import { Forgery, IdTokenForger, s256 } from './support/id-token-forger';

const APP = 'https://app.example.com';

describe('OIDC: only a genuine ID token for this client from the discovered issuer logs in', () => {
  let system: TestSystem;
  let forger: IdTokenForger;
  let provider: TestOidcProvider;
  let redirectUri: string;

  beforeAll(async () => {
    system = await startTestSystem({ LOG_LEVEL: 'info' });
    const nats = system.gateway.get(NatsClient, { strict: false });
    redirectUri = `${system.url}/api/v1/auth/oauth2/callback`;
    forger = await IdTokenForger.start();
    provider = await TestOidcProvider.start({
      issuer: forger.origin,
      signingKeys: [forger.signingKey],
      clients: [{ client_id: 'gatehouse', client_secret: 'client-Secret-1', redirect_uris: [redirectUri] }],
      accounts: { 'sub-alice': { email: 'alice@idp.example', email_verified: true } },
    });
    forger.target = provider.origin;
    await nats.send(DirectorySubjects.userCreate, { domain: 'example.com', username: 'alice', email: 'alice@idp.example' });
    await saveProvider(forger.origin);
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, type: 'pbx+oauth2' });
  });
  afterAll(async () => {
    await system?.stop();
    await provider?.stop();
    await forger?.stop();
  });

  const saveProvider = (issuer: string) =>
    system.gateway.get(NatsClient, { strict: false }).send(FederationSubjects.configSet, {
      actor: { kind: 'system', service: 'test' },
      oidc: {
        issuer,
        clientId: 'gatehouse',
        clientSecret: 'client-Secret-1',
        redirectUri,
        allowedOrigins: [APP],
        providerName: 'Test IdP',
        oauth2Domain: null,
      },
    });
  /** The cookies the gateway set in "the browser" (the flows it started). */
  const browserCookies: string[] = [];
  const start = async () => {
    const response = await fetch(`${system.url}/api/v1/auth/oauth2/start?returnTo=${encodeURIComponent(`${APP}/home`)}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    browserCookies.push(response.headers.get('set-cookie')!.split(';')[0]); // as the browser keeps it
    return response.headers.get('location')!;
  };
  /** A whole login as the browser does it; the callback's answer. */
  const loginWith = async (forgery: Forgery, authorizationUrl?: string) => {
    forger.forgery = forgery;
    const callback = await provider.login(authorizationUrl ?? (await start()), 'sub-alice', redirectUri);
    return fetch(callback, { redirect: 'manual', headers: { cookie: browserCookies.join('; ') } });
  };
  const sessionIn = (response: Response) =>
    new URLSearchParams(new URL(response.headers.get('location') ?? 'about:blank').hash.slice(1)).get('sessionId');
  /** Why the federation service refused the callback, from its log. */
  const reasons = () => system.logs.lines.filter((line) => line.event === 'oauth2.token_refused').map((line) => String(line.reason));

  it('logs in with the provider token re-signed unchanged by the provider key (the forger itself breaks nothing)', async () => {
    const response = await loginWith('honest');
    expect(response.status).toBe(302);
    expect(sessionIn(response)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each<[Forgery, RegExp]>([
    ['alg-none', /"alg" header/],
    ['alg-confusion', /"alg" header/],
    ['foreign-key', /signature verification failed/],
    ['other-audience', /"aud" \(audience\) claim/],
    ['other-party', /"azp" \(authorized party\) claim/],
    ['other-issuer', /"iss" \(issuer\) claim/],
    ['expired', /"exp" \(expiration time\) claim/],
  ])('refuses an ID token that is %s', async (forgery, reason) => {
    const before = reasons().length;
    const response = await loginWith(forgery);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('oauth2_failed');
    expect(sessionIn(response)).toBeNull();
    const logged = reasons().slice(before);
    expect(logged).toEqual([expect.stringMatching(reason)]);
  });

  it('refuses to save an issuer whose discovery document names another issuer', async () => {
    // The provider itself, asked at its own address, says its issuer is the public one.
    // The same answer as for an address that serves nothing: what was fetched is in the log only.
    await expect(saveProvider(provider.origin)).rejects.toMatchObject({
      code: 'validation_failed',
      details: { field: 'oidc.issuer', reason: 'issuer_unreachable' },
    });
    expect(
      system.logs.lines.some(
        (line) => line.event === 'federation.issuer_unreachable' && String(line.msg).includes(`names issuer ${forger.origin}`),
      ),
    ).toBe(true);
    expect((await loginWith('honest')).status).toBe(302); // the saved issuer is unchanged
  });

  it('refuses to save a provider that lists its PKCE methods without S256', async () => {
    forger.pkceMethods = ['plain'];
    try {
      await expect(saveProvider(forger.origin)).rejects.toMatchObject({
        code: 'validation_failed',
        message: expect.stringContaining('PKCE with S256'),
      });
    } finally {
      forger.pkceMethods = undefined;
    }
  });

  it('uses PKCE: the token request proves the S256 challenge of the authorization request', async () => {
    const authorizationUrl = new URL(await start());
    const challenge = authorizationUrl.searchParams.get('code_challenge');
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    const asked = forger.tokenRequests.length;

    const response = await loginWith('honest', authorizationUrl.toString());

    expect(response.status).toBe(302);
    const tokenRequest = forger.tokenRequests[asked];
    expect(tokenRequest.get('code_verifier')).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(s256(tokenRequest.get('code_verifier')!)).toBe(challenge);
  });

  it('refuses a code that was issued for another PKCE challenge (an injected code)', async () => {
    const authorizationUrl = new URL(await start());
    authorizationUrl.searchParams.set('code_challenge', s256('the-attackers-own-verifier-which-is-long-enough-1'));
    const response = await loginWith('honest', authorizationUrl.toString());
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('oauth2_failed');
    expect(reasons().at(-1)).toMatch(/invalid_grant/);
  });
});
