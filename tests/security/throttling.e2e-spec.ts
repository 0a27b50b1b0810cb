import { randomBytes, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { api, startTestSystem, TestSystem } from '../support/system';
import { bearer, createUser, GOOD_PASSWORD, login, proofFor } from '../auth/support';

const WRONG = 'definitely not the password';
const from = (ip: string) => ({ 'x-forwarded-for': ip });
const randomToken = () => randomBytes(32).toString('base64url');

/** Sends one first message on a new socket from `ip` and reports how the server answered and closed. */
async function firstMessage(system: TestSystem, ip: string, message: Record<string, unknown>) {
  const ws = new WebSocket(`${system.url.replace(/^http/, 'ws')}/api/v1/ws`, { headers: from(ip) });
  const replies: Record<string, unknown>[] = [];
  ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify(message));
  const ready = new Promise<'ready'>((resolve) => ws.on('message', () => replies.some((r) => r.type === 'ready') && resolve('ready')));
  const outcome = await Promise.race([closed, ready]);
  if (outcome === 'ready') ws.close();
  return { outcome, replies };
}

describe('throttling that cannot lock a victim out and reveals nothing', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({
      TRUST_PROXY: 'true',
      THROTTLE_ACCOUNT_FREE_ATTEMPTS: '10',
      CREDENTIAL_GUESS_LIMIT: '3',
    });
  });
  afterAll(() => system?.stop());

  it('an attacker failing from their own address does not lock the owner out of their address', async () => {
    await createUser(system, { username: 'olivia' });
    for (let i = 0; i < 5; i++) expect((await login(system, 'olivia', WRONG, {}, from('10.66.0.1'))).status).toBe(401);

    // The attacker keeps at it, one wrong password per wait, for several growing waits.
    for (let round = 0; round < 4; round++) {
      const locked = await login(system, 'olivia', WRONG, {}, from('10.66.0.1'));
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The owner, from an address she never used before, with the right password: never made to wait.
      expect((await login(system, 'olivia', GOOD_PASSWORD, {}, from('10.20.0.1'))).status).toBe(200);
      system.clock.advance(Number(locked.headers.get('retry-after')) * 1000);
      expect((await login(system, 'olivia', WRONG, {}, from('10.66.0.1'))).status).toBe(401);
    }
  });

  it('a known device logs in while the account is under attack', async () => {
    await createUser(system, { username: 'kim' });
    await createUser(system, { username: 'lou' });
    const first = await login(system, 'kim', GOOD_PASSWORD, {}, from('10.30.0.1'));
    expect(first.status).toBe(200);
    const other = await login(system, 'lou', GOOD_PASSWORD, {}, from('10.31.0.1'));

    // A botnet: one wrong password from each of 10 addresses reaches the account limit (10 here).
    const attack = async (net: number) => {
      for (let i = 1; i <= 10; i++) expect((await login(system, 'kim', WRONG, {}, from(`10.66.${net}.${i}`))).status).toBe(401);
      expect((await login(system, 'kim', WRONG, {}, from(`10.66.${net}.11`))).status).toBe(429);
    };
    await attack(1);

    // From a network the account never signed in from, the owner waits too (NIST's limit)...
    const stranger = await login(system, 'kim', GOOD_PASSWORD, {}, from('10.30.9.9'));
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // ...and another user's session proves nothing about this account...
    expect((await login(system, 'kim', GOOD_PASSWORD, {}, { ...from('10.30.9.9'), ...bearer(other.body.accessToken) })).status).toBe(429);
    // ...but the device holding her live session gets in from there, and so does her known address.
    expect((await login(system, 'kim', GOOD_PASSWORD, {}, { ...from('10.30.9.9'), ...bearer(first.body.accessToken) })).status).toBe(200);
    await attack(2);
    expect((await login(system, 'kim', GOOD_PASSWORD, {}, from('10.30.0.1'))).status).toBe(200);
  });

  it('mixed spellings of an existing account throttle exactly like an unknown one', async () => {
    await createUser(system, { username: 'mia', email: 'mia@mail.example' });
    const spellings = (name: string) => {
      const Name = name[0].toUpperCase() + name.slice(1);
      return [
        name,
        name.toUpperCase(),
        name,
        Name,
        `${name}@mail.example`,
        `${name}@example.com`,
        name.toUpperCase(),
        name,
        `${name}@mail.example`,
        `${Name}@Mail.Example`,
      ];
    };
    const answers = async (name: string, ip: string) => {
      const seen: string[] = [];
      for (const spelling of spellings(name)) {
        const response = await login(system, spelling, WRONG, {}, from(ip));
        seen.push(`${response.status} ${response.headers.get('retry-after') ?? '-'}`);
      }
      return seen;
    };

    const existing = await answers('mia', '10.40.0.1');
    const unknown = await answers('noa', '10.40.0.2');

    expect(existing).toEqual(unknown);
    expect(existing.filter((a) => a.startsWith('429'))).toHaveLength(1);
  });

  it('bad WebSocket auth messages count as credential guesses', async () => {
    await createUser(system, { username: 'wes' });
    const { body } = await login(system, 'wes', GOOD_PASSWORD, {}, from('10.50.0.9'));

    for (let i = 0; i < 3; i++)
      expect((await firstMessage(system, '10.50.0.1', { type: 'auth', accessToken: randomToken() })).outcome).toBe(4401);
    const limited = await firstMessage(system, '10.50.0.1', { type: 'auth', accessToken: randomToken() });
    expect(limited.outcome).toBe(4429);
    expect(limited.replies).toContainEqual({ type: 'error', code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
    // The same count as over HTTP, and only failures count: a valid token still gets in.
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: { ...from('10.50.0.1'), ...bearer(randomToken()) } })).status).toBe(
      429,
    );
    expect((await firstMessage(system, '10.50.0.1', { type: 'auth', accessToken: body.accessToken })).outcome).toBe('ready');
  });

  it('bad poll tokens count as credential guesses, over HTTP and WebSocket', async () => {
    const pendingId = randomUUID();
    const poll = () =>
      api(system, 'GET', `/api/v1/auth/login/pending/${pendingId}`, {
        headers: { ...from('10.50.1.1'), authorization: `Pending ${randomToken()}` },
      });

    expect((await poll()).status).toBe(401);
    expect((await firstMessage(system, '10.50.1.1', { type: 'pending', pendingId, pollToken: randomToken() })).outcome).toBe(4401);
    expect((await poll()).status).toBe(401);

    const limited = await poll();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const cancel = await api(system, 'DELETE', `/api/v1/auth/login/pending/${pendingId}`, {
      headers: { ...from('10.50.1.1'), authorization: `Pending ${randomToken()}` },
    });
    expect(cancel.status).toBe(429);
    expect((await firstMessage(system, '10.50.1.1', { type: 'pending', pendingId, pollToken: randomToken() })).outcome).toBe(4429);
  });

  it('bad challenge proofs count as credential guesses', async () => {
    await createUser(system, { username: 'cleo' });
    const { body } = await login(system, 'cleo', GOOD_PASSWORD, {}, from('10.50.2.9'));
    const session = body.session as { id: string; password: string };
    const mint = async (ip: string, password: string) => {
      const challenge = await api(system, 'POST', `/api/v1/auth/sessions/${session.id}/challenge`, { headers: from(ip) });
      return api(system, 'POST', `/api/v1/auth/sessions/${session.id}/token`, {
        body: { nonce: challenge.body.nonce, proof: proofFor(password, challenge.body.nonce) },
        headers: from(ip),
      });
    };

    for (let i = 0; i < 3; i++) expect((await mint('10.50.2.1', 'a guessed session password')).body.error.code).toBe('invalid_proof');
    const limited = await mint('10.50.2.1', 'a guessed session password');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The device that holds the session is not held back by another address's guesses.
    expect((await mint('10.50.2.9', session.password)).status).toBe(200);
  });
});
