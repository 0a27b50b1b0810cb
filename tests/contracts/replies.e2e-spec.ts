import * as opaque from '@serenity-kit/opaque';
import {
  apiRoutes,
  approvalsRoutes,
  authRoutes,
  declaredErrors,
  meRoutes,
  type ApiRouteKey,
  type ApiRoutes,
  type RouteRequest,
  type RouteSpec,
  AuthSettingsSubjects,
} from '@gatehouse/contracts';
import { errorCatalog, isErrorCode } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { z } from 'zod';
import { proofFor } from '../auth/support';
import { FACTORY_DEVICE, factory } from '../support/factories';
import { startTestSystem, type TestSystem } from '../support/system';
import { call, type CallResult } from '../support/typed-api';

/**
 * Real replies against their declarations (libs/contracts/src/api): a success answers with a declared
 * status and exactly its declared schema (no field more: the parsed reply equals the reply), an
 * error with a code the route declares, at its catalogued status. Routes that need an authenticator,
 * an identity provider, an app with a secret or a mailed link are left to their own end-to-end files.
 */
const NOT_HERE: Partial<Record<ApiRouteKey, string>> = {
  'GET /auth/oauth2/start': 'an identity provider (tests/federation)',
  'GET /auth/oauth2/callback': 'an identity provider (tests/federation)',
  'POST /auth/passkey/login': 'an authenticator (tests/passwordless/passkeys)',
  'POST /me/passkeys': 'an authenticator (tests/passwordless/passkeys)',
  'POST /me/approvals/:pendingId/passkey': 'an authenticator (tests/passwordless/passkeys)',
  'POST /auth/opaque/login/finish': 'an OPAQUE record (tests/passwordless/opaque)',
  'POST /me/apps/:appId/login': 'an app with a shared secret (tests/directory/registry)',
  'GET /approvals/email/:token': 'a mailed link (tests/approvals/approval-flow)',
  'POST /approvals/email/:token': 'a mailed link (tests/approvals/approval-flow)',
  'GET /auth/password-reset/:token': 'a mailed link (tests/approvals/password-reset)',
  'POST /auth/password-reset/:token': 'a mailed link (tests/approvals/password-reset)',
};

describe('replies match their declared schemas', () => {
  let system: TestSystem;
  const called = new Set<ApiRouteKey>();

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  /** Calls the route and checks what came back against its declaration. */
  async function checked<K extends ApiRouteKey>(key: K, request?: RouteRequest<ApiRoutes[K]> & { headers?: Record<string, string> }) {
    const send = call as (system: { url: string }, key: K, request?: object) => Promise<CallResult<K>>;
    const result = await send(system, key, request);
    const spec: RouteSpec = apiRoutes[key];
    called.add(key);
    if (result.ok) {
      const schemas: Partial<Record<number, z.ZodType>> = { [spec.status ?? 200]: spec.reply, ...spec.otherReplies };
      const schema = schemas[result.status];
      if (!schema) throw new Error(`${key} answered ${result.status}, which it does not declare`);
      const parsed = schema.safeParse(result.body);
      if (!parsed.success) throw new Error(`${key}: ${JSON.stringify(result.body)} does not match: ${parsed.error.message}`);
      expect({ key, body: parsed.data }).toEqual({ key, body: result.body });
    } else {
      const code = result.body?.error?.code;
      expect({ key, code, declared: isErrorCode(code) && declaredErrors(spec).includes(code) }).toEqual({ key, code, declared: true });
      expect({ key, status: result.status }).toEqual({ key, status: isErrorCode(code) ? errorCatalog[code] : -1 });
    }
    return result;
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('login, tokens and the check', async () => {
    const user = await factory(system).user();
    await checked('GET /auth/methods');
    const refused = await checked('POST /auth/login', {
      body: { username: user.username, password: 'not the password', device: FACTORY_DEVICE },
    });
    expect(refused.status).toBe(401);
    const login = await checked('POST /auth/login', { body: { username: user.username, password: user.password, device: FACTORY_DEVICE } });
    if (!login.ok || login.body.status !== 'active') throw new Error('no session');
    const session = login.body.session;
    const challenge = await checked('POST /auth/sessions/:id/challenge', { params: { id: session.id } });
    if (!challenge.ok) throw new Error('no challenge');
    await checked('POST /auth/sessions/:id/token', {
      params: { id: session.id },
      body: { nonce: challenge.body.nonce, proof: proofFor(session.password, challenge.body.nonce) },
    });
    await checked('POST /auth/sessions/:id/token', {
      params: { id: session.id },
      body: { nonce: challenge.body.nonce, proof: proofFor('another password entirely', challenge.body.nonce) },
    });
    await checked('GET /auth/check', { headers: bearer(login.body.accessToken) });
    await checked('GET /auth/check', { headers: bearer('not-a-token') });
    await checked('POST /auth/passkey/options');
    await opaque.ready;
    const { startLoginRequest } = opaque.client.startLogin({ password: user.password });
    await checked('POST /auth/opaque/login/start', { body: { username: user.username, startLoginRequest } });
    await checked('POST /auth/password-reset', { body: { login: user.username } });
  });

  it("the user's own data", async () => {
    const { login } = await factory(system).signedIn();
    const as = bearer(login.accessToken);
    await checked('GET /me', { headers: as });
    await checked('GET /me/apps', { headers: as });
    await checked('GET /me/api-providers/:api', { params: { api: 'chat' }, headers: as });
    await checked('GET /me/client-config', { headers: as });
    await checked('GET /me/homescreen', { headers: as });
    await checked('PUT /me/homescreen', { body: { groups: [{ name: 'Work', collapsed: false, items: [] }] }, headers: as });
    await checked('PUT /me/homescreen', { body: { raw: 'x'.repeat(9000) }, headers: as });
    await checked('GET /me/presence', { headers: as });
    await checked('PUT /me/presence', { body: { status: 'away', note: 'lunch' }, headers: as });
    await checked('GET /me/passkeys', { headers: as });
    await checked('POST /me/passkeys/options', { headers: as });
    await checked('DELETE /me/passkeys/:id', { params: { id: '00000000-0000-4000-8000-000000000000' }, headers: as });
    await checked('GET /me/approvals', { headers: as });
    await checked('POST /me/approvals/passkey/options', { headers: as });
    await checked('GET /me', { headers: bearer('expired-or-unknown') });
  });

  it('API keys and sessions', async () => {
    const make = factory(system);
    const { user, login } = await make.signedIn();
    const as = bearer(login.accessToken);
    const key = await checked('POST /me/api-keys', { body: { name: 'replies' }, headers: as });
    if (!key.ok) throw new Error('no API key');
    await checked('GET /me/api-keys', { headers: as });
    await checked('POST /me/api-keys', { body: { name: 'by key' }, headers: { authorization: `ApiKey ${key.body.key}` } });
    await checked('DELETE /me/api-keys/:id', { params: { id: key.body.apiKey.id }, headers: as });
    await checked('DELETE /me/api-keys/:id', { params: { id: key.body.apiKey.id }, headers: as });
    const other = await make.signIn(user.username, user.password);
    await checked('GET /me/sessions', { headers: as });
    await checked('DELETE /me/sessions/:id', { params: { id: other.session.id }, headers: as });
    await checked('DELETE /me/sessions/:id', { params: { id: other.session.id }, headers: as });
    await checked('DELETE /me/sessions/:id', { params: { id: 'current' }, headers: as });
  });

  it('a login waiting for approval, decided from a signed-in device', async () => {
    const make = factory(system);
    const { user, login: first } = await make.signedIn();
    const nats = system.gateway.get(NatsClient, { strict: false });
    await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: true });
    try {
      const login = () =>
        checked('POST /auth/login', { body: { username: user.username, password: user.password, device: FACTORY_DEVICE } });
      const waiting = await login();
      if (!waiting.ok || waiting.body.status !== 'pending') throw new Error('expected a pending login');
      const pending = { authorization: `Pending ${waiting.body.pollToken}` };
      await checked('GET /auth/login/pending/:id', { params: { id: waiting.body.pendingId }, headers: pending });
      await checked('GET /auth/login/pending/:id', { params: { id: waiting.body.pendingId }, headers: { authorization: 'Pending wrong' } });
      const decide = (pendingId: string, decision: 'accept' | 'reject') =>
        checked('POST /me/approvals/:pendingId', {
          params: { pendingId },
          body: { decision },
          headers: bearer(first.accessToken),
        });
      await checked('GET /me/approvals', { headers: bearer(first.accessToken) });
      await decide(waiting.body.pendingId, 'accept');
      await decide(waiting.body.pendingId, 'accept');
      const approved = await checked('GET /auth/login/pending/:id', { params: { id: waiting.body.pendingId }, headers: pending });
      expect(approved.ok && 'session' in approved.body).toBe(true);
      await checked('GET /auth/login/pending/:id', { params: { id: waiting.body.pendingId }, headers: pending });
      const withdrawn = await login();
      if (!withdrawn.ok || withdrawn.body.status !== 'pending') throw new Error('expected a pending login');
      await checked('DELETE /auth/login/pending/:id', {
        params: { id: withdrawn.body.pendingId },
        headers: { authorization: `Pending ${withdrawn.body.pollToken}` },
      });
    } finally {
      await nats.send(AuthSettingsSubjects.set, { actor: { kind: 'system', service: 'test' }, twoFactor: false });
    }
  });

  it('left out only the routes that need a peer of their own', () => {
    // Login, approvals and the user's own data; the admin routes and the web apps' routes have files of their own.
    const endUser = Object.keys({ ...authRoutes, ...meRoutes, ...approvalsRoutes }) as ApiRouteKey[];
    expect(endUser.filter((key) => !called.has(key) && !NOT_HERE[key])).toEqual([]);
  });
});
