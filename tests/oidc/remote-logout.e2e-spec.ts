import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import { createUser, login } from '../auth/support';
import { adminApi, adminToken, bearer } from '../directory/support';
import { subscribeRevocations } from '../operations/support/cluster-probes';
import { api, startTestSystem, TestSystem } from '../support/system';
import { authorizationRequest, authorize, CookieJar, grantApps, registerApp, relyingParty } from './support';

const REDIRECT = 'https://chat.example.net/cb';

/** The app's back-channel logout endpoint on another loopback address; it fails as often as told, then accepts. */
class TestAppServer {
  readonly received: string[] = [];
  failuresLeft = 0;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestAppServer> {
    const holder: { app?: TestAppServer } = {};
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const app = holder.app!;
        if (app.failuresLeft > 0) {
          app.failuresLeft--;
          response.writeHead(503).end();
          return;
        }
        app.received.push(new URLSearchParams(body).get('logout_token') ?? '');
        response.writeHead(200, { 'cache-control': 'no-store' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    holder.app = new TestAppServer(server, `http://127.0.0.2:${(server.address() as AddressInfo).port}/backchannel-logout`);
    return holder.app;
  }

  async next(timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (Date.now() > deadline) throw new Error('no back-channel logout arrived');
      await new Promise((wake) => setTimeout(wake, 100));
    }
    return this.received.shift()!;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('remote logout reaches every app the device signed in to', () => {
  let system: TestSystem;
  let appServer: TestAppServer;
  let rp: oidc.Configuration;
  let chat: { clientId: string; secret: string };
  let aliceId: string;
  let rootToken: string;

  beforeAll(async () => {
    // a short sweep interval: the last test lets the expiry sweep end device sessions
    system = await startTestSystem({ OIDC_BACKCHANNEL_BACKOFF_MS: '200', SESSIONS_SWEEP_INTERVAL_MS: '200' });
    appServer = await TestAppServer.start();
    rootToken = await adminToken(system);
    const admin = adminApi(system, rootToken);
    chat = await registerApp(admin, 'chat', { redirectUris: [REDIRECT], backchannelLogoutUri: appServer.url });
    aliceId = (await createUser(system, { username: 'alice', email: 'alice@example.com' })).id;
    await grantApps(system, rootToken, aliceId, ['chat']);
    rp = await relyingParty(system, chat.clientId, chat.secret);
  }, 120_000); // a loaded machine (two cores, argon2, Chromium) starts the system slowly
  afterAll(async () => {
    await appServer?.close();
    await system.stop();
  });

  async function signInFromNewDevice(username = 'alice') {
    const device = (await login(system, username)).body;
    const request = await authorizationRequest(rp, REDIRECT);
    const outcome = await authorize(system, request.url, new CookieJar(), REDIRECT, device.accessToken);
    const tokens = await oidc.authorizationCodeGrant(rp, outcome.callback!, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    return { device, tokens };
  }

  it('revokes the app tokens at once and sends a logout token valid against JWKS, retried until the app accepts it', async () => {
    const { device, tokens } = await signInFromNewDevice();
    const other = (await login(system, 'alice')).body;
    appServer.failuresLeft = 2;

    const revoked = await api(system, 'DELETE', `/api/v1/me/sessions/${device.session.id}`, { headers: bearer(other.accessToken) });
    expect(revoked.status).toBeLessThan(300);

    const logoutToken = await appServer.next();
    expect(appServer.failuresLeft).toBe(0);
    const jwks = jose.createLocalJWKSet((await api(system, 'GET', '/oidc/jwks')).body);
    const { payload, protectedHeader } = await jose.jwtVerify(logoutToken, jwks, {
      issuer: system.url,
      audience: chat.clientId,
      typ: 'logout+jwt',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: aliceId,
      sid: tokens.claims()!.sid,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    expect(payload.nonce).toBeUndefined();

    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await oidc.tokenIntrospection(rp, tokens.access_token)).toMatchObject({ active: false });
  });

  it("leaves the app tokens of the user's other devices alone", async () => {
    const first = await signInFromNewDevice();
    const second = await signInFromNewDevice();
    await api(system, 'DELETE', '/api/v1/me/sessions/current', { headers: bearer(first.device.accessToken) });
    await appServer.next();
    await expect(oidc.refreshTokenGrant(rp, first.tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const refreshed = await oidc.refreshTokenGrant(rp, second.tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
  });

  it('ends the app tokens of device sessions the expiry sweep ends in one batch, and tells the app of each', async () => {
    const bobId = (await createUser(system, { username: 'bob', email: 'bob@example.com' })).id;
    await grantApps(system, rootToken, bobId, ['chat']);
    const devices = [await signInFromNewDevice('bob'), await signInFromNewDevice('bob')];
    const revoked = await subscribeRevocations(system.testEnv.env.NATS_URL!);
    try {
      // expired by the system's (manual) clock, which the sweep reads; alice's sessions stay
      const db = new Client({ connectionString: system.testEnv.databaseUrl });
      await db.connect();
      await db
        .query(`UPDATE "sessions"."Session" SET "expiresAt" = $2 WHERE "userId" = $1`, [
          bobId,
          new Date(system.clock.now().getTime() - 1000),
        ])
        .finally(() => db.end());
      const sids = [jose.decodeJwt(await appServer.next()).sid, jose.decodeJwt(await appServer.next()).sid];
      expect(sids.sort()).toEqual(devices.map(({ tokens }) => tokens.claims()!.sid).sort());
      for (const { tokens } of devices) {
        await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
        expect(await oidc.tokenIntrospection(rp, tokens.access_token)).toMatchObject({ active: false });
      }
      // Both ended in one batch announcement (the listener's batch path, not the single one).
      const ids = devices.map(({ device }) => device.session.id as string);
      expect(revoked.batches.some((b) => ids.every((id) => (b.sessions as { sessionId: string }[]).some((s) => s.sessionId === id)))).toBe(
        true,
      );
    } finally {
      await revoked.close();
    }
  });
});
