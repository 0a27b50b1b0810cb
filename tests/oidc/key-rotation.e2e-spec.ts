import { ModuleRef } from '@nestjs/core';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { IntervalScheduler, NatsClient } from '@gatehouse/platform';
import { OidcSubjects } from '@gatehouse/contracts';
import { KEY_ROTATION_JOB, SigningKeysService } from '../../apps/directory/src/oidc/signing-keys.service';
import { createUser, login } from '../auth/support';
import { adminApi, adminToken } from '../directory/support';
import { api, startTestSystem, TestSystem } from '../support/system';
import { authorizationRequest, authorize, CookieJar, grantApps, registerApp, relyingParty } from './support';

const REDIRECT = 'https://wiki.example.net/cb';

describe('signing keys and client authentication', () => {
  let system: TestSystem;
  let rp: oidc.Configuration;
  let aliceToken: string;

  beforeAll(async () => {
    // A small limit for the last test's guesses; nothing else here fails a client authentication.
    system = await startTestSystem({ CREDENTIAL_GUESS_LIMIT: '3' });
    const rootToken = await adminToken(system);
    const wiki = await registerApp(adminApi(system, rootToken), 'wiki', { redirectUris: [REDIRECT] });
    const alice = await createUser(system, { username: 'alice' });
    await grantApps(system, rootToken, alice.id, ['wiki']);
    aliceToken = (await login(system, 'alice')).body.accessToken;
    rp = await relyingParty(system, wiki.clientId, wiki.secret);
  }, 120_000); // a loaded machine (two cores, argon2, Chromium) starts the system slowly
  afterAll(() => system.stop());

  async function idToken(): Promise<string> {
    const request = await authorizationRequest(rp, REDIRECT);
    const outcome = await authorize(system, request.url, new CookieJar(), REDIRECT, aliceToken);
    const tokens = await oidc.authorizationCodeGrant(rp, outcome.callback!, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    return tokens.id_token!;
  }
  const kidOf = (jwt: string) => jose.decodeProtectedHeader(jwt).kid;
  const jwks = async () => (await api(system, 'GET', '/oidc/jwks')).body as jose.JSONWebKeySet;
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 50 && !(await check()); i++) await new Promise((wake) => setTimeout(wake, 100));
  };
  /** The directory service's own scheduler (through ModuleRef: a failed app.get() would abort the process). */
  const directoryScheduler = (): IntervalScheduler => {
    for (const service of system.services) {
      try {
        service.get(ModuleRef).get(SigningKeysService, { strict: false });
        return service.get(ModuleRef).get(IntervalScheduler, { strict: false });
      } catch {
        // not directory
      }
    }
    throw new Error('no directory service');
  };

  it('signs with the new key at once and keeps the old public key in JWKS until its tokens expired', async () => {
    const before = await idToken();
    const oldKid = kidOf(before);
    const { kid: newKid } = await system.gateway.get(NatsClient, { strict: false }).send(OidcSubjects.keysRotate, {});
    expect(newKid).not.toBe(oldKid);

    await eventually(async () => (await jwks()).keys.some((key) => key.kid === newKid));
    expect((await jwks()).keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
    // The ID token an app already holds still verifies.
    await expect(jose.jwtVerify(before, jose.createLocalJWKSet(await jwks()), { issuer: system.url })).resolves.toBeTruthy();
    expect(kidOf(await idToken())).toBe(newKid);

    // A day later (OIDC_KEY_OVERLAP_SECONDS) the old key is gone from JWKS.
    system.clock.advance(86_400_000 + 1000);
    await directoryScheduler().tick(KEY_ROTATION_JOB);
    await eventually(async () => !(await jwks()).keys.some((key) => key.kid === oldKid));
    expect((await jwks()).keys.map((key) => key.kid)).toEqual([newKid]);
  });

  // Last: afterwards this address waits at the token endpoint for the rest of the window.
  it('makes an address that keeps guessing an app secret wait (429 with Retry-After)', async () => {
    const guess = (secret: string) =>
      fetch(`${system.url}/oidc/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`wiki%40example.com:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }),
      });
    for (let i = 0; i < 3; i++) expect((await guess(`wrong-${i}`)).status).toBe(401);
    const refused = await guess('wiki-secret-0123456789');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });
});
