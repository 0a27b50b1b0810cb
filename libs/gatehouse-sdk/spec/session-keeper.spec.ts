import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatehouseError, isSessionGone } from '../src/http';
import { SessionKeeper, type SessionSource } from '../src/session-keeper';
import type { SessionToken } from '../src/tokens';

const SESSION: SessionToken = { sessionId: '0b7e8f3c-5d1a-4c52-9e4b-3f6a2d1c9b80', password: 'session-password-of-test' };
const TOKEN_UNTIL = '2031-01-02T03:04:05.000Z';

/** What the fake gateway answers to the challenge: a nonce, or an error with this status. */
type Mode = { kind: 'ok' } | { kind: 'fail'; status: number; code: string; retryAfter?: string };

/**
 * A real HTTP server answering the two routes of the challenge-response as the gateway does
 * (and checking the proof), plus `GET /api/v1/me`, which refuses a token it did not issue last.
 */
class FakeGateway {
  mode: Mode = { kind: 'ok' };
  challenges = 0;
  tokens = 0;
  /** Refuse the next /me call with 401 (the token was revoked by the server). */
  refuseNextMe = false;
  meCalls: string[] = [];
  private readonly nonces = new Set<string>();
  private readonly issued = new Set<string>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((listening) => this.server!.listen(0, '127.0.0.1', listening));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((closed) => this.server!.close(() => closed()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { nonce?: string; proof?: string }) : {};
    const send = (status: number, reply: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(reply));
    };
    const url = request.url ?? '';
    const session = /^\/api\/v1\/auth\/sessions\/([^/]+)\/(challenge|token)$/.exec(url);
    if (request.method === 'POST' && session?.[2] === 'challenge') {
      this.challenges++;
      // Slow enough that concurrent callers overlap.
      await new Promise((wake) => setTimeout(wake, 50));
      if (this.mode.kind === 'fail') {
        const { status, code, retryAfter } = this.mode;
        return send(
          status,
          { error: { code, message: code, details: { sessionId: session[1] } } },
          retryAfter ? { 'retry-after': retryAfter } : {},
        );
      }
      if (session[1] !== SESSION.sessionId) return send(404, { error: { code: 'session_not_found', message: 'no such session' } });
      const nonce = randomBytes(16).toString('hex');
      this.nonces.add(nonce);
      return send(200, { nonce, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    }
    if (request.method === 'POST' && session?.[2] === 'token') {
      this.tokens++;
      const expected = createHmac('sha256', SESSION.password)
        .update(body.nonce ?? '')
        .digest('hex');
      if (!body.nonce || !this.nonces.delete(body.nonce) || body.proof !== expected)
        return send(401, { error: { code: 'invalid_proof', message: 'wrong proof' } });
      const accessToken = `at-${this.tokens}`;
      this.issued.clear();
      this.issued.add(accessToken);
      return send(
        200,
        { accessToken, expiresAt: new Date(Date.now() + 300_000).toISOString() },
        { 'x-gatehouse-token-until': TOKEN_UNTIL },
      );
    }
    if (request.method === 'GET' && url === '/api/v1/me') {
      const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      this.meCalls.push(token);
      if (this.refuseNextMe || !this.issued.has(token)) {
        this.refuseNextMe = false;
        return send(401, { error: { code: 'unauthenticated', message: 'token refused' } });
      }
      return send(200, { username: 'jdo' });
    }
    send(404, { error: { code: 'not_found', message: 'no route' } });
  }
}

/** A session in memory that records being forgotten, as the web client's local storage would. */
function memorySource(token: SessionToken | null = SESSION): SessionSource & { forgotten: number } {
  let held = token;
  const source = {
    forgotten: 0,
    load: () => held,
    forget: () => {
      held = null;
      source.forgotten++;
    },
  };
  return source;
}

describe('SessionKeeper', () => {
  const gateway = new FakeGateway();
  let base = '';

  beforeAll(async () => {
    base = await gateway.start();
  });
  afterAll(() => gateway.stop());
  beforeEach(() => {
    gateway.mode = { kind: 'ok' };
    gateway.challenges = 0;
    gateway.tokens = 0;
    gateway.meCalls = [];
  });

  it('mints one access token for many callers at once, by a proof the server accepts, and caches it', async () => {
    const minted: Array<{ accessToken: string; until: number | null }> = [];
    const sut = new SessionKeeper({ base, session: memorySource(), onMinted: (m) => minted.push(m) });

    const tokens = await Promise.all([sut.accessToken(), sut.accessToken(), sut.accessToken(), sut.accessToken()]);

    expect(new Set(tokens)).toEqual(new Set(['at-1']));
    expect([gateway.challenges, gateway.tokens]).toEqual([1, 1]);
    expect(await sut.accessToken()).toBe('at-1');
    expect(gateway.challenges).toBe(1);
    expect(minted).toEqual([expect.objectContaining({ accessToken: 'at-1', until: Date.parse(TOKEN_UNTIL) })]);
    expect(sut.until).toBe(Date.parse(TOKEN_UNTIL));
  });

  it('mints again once the cached token is dropped or about to end', async () => {
    const sut = new SessionKeeper({ base, session: SESSION });
    sut.useAccessToken('from-login', Date.now() + 10_000); // within the 30-second margin

    expect(await sut.accessToken()).toBe('at-1');
    sut.dropAccessToken();
    expect(await sut.accessToken()).toBe('at-2');
    expect(gateway.challenges).toBe(2);
  });

  it('uses the token that came with the login without minting', async () => {
    const sut = new SessionKeeper({ base, session: SESSION });
    sut.useAccessToken('from-login', new Date(Date.now() + 600_000).toISOString());

    expect(await sut.accessToken()).toBe('from-login');
    expect(gateway.challenges).toBe(0);
  });

  it('forgets the session and calls onGone once when the server says it no longer exists', async () => {
    gateway.mode = { kind: 'fail', status: 404, code: 'session_not_found' };
    const source = memorySource();
    const gone: GatehouseError[] = [];
    const sut = new SessionKeeper({ base, session: source, onGone: (error) => gone.push(error) });

    const results = await Promise.allSettled([sut.accessToken(), sut.accessToken()]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const error = (results[0] as PromiseRejectedResult).reason as GatehouseError;
    expect([error.status, error.code, isSessionGone(error)]).toEqual([404, 'session_not_found', true]);
    expect(error.details).toEqual({ sessionId: SESSION.sessionId });
    expect(gone).toHaveLength(1);
    expect(source.forgotten).toBe(1);
    expect(source.load()).toBeNull();
    expect(sut.sessionId).toBeNull();
    expect(gateway.challenges).toBe(1);

    // Nothing left to mint from: no request, and the app hears of it again.
    gateway.mode = { kind: 'ok' };
    await expect(sut.accessToken()).rejects.toMatchObject({ code: 'not_logged_in', status: 401 });
    expect(gateway.challenges).toBe(1);
    expect(gone).toHaveLength(2);
  });

  it('keeps the session when the server fails (5xx), and mints from it once the server is back', async () => {
    gateway.mode = { kind: 'fail', status: 503, code: 'unavailable', retryAfter: '7' };
    const source = memorySource();
    const onGone = jest.fn();
    const sut = new SessionKeeper({ base, session: source, onGone });

    const error = (await sut.accessToken().catch((e: unknown) => e)) as GatehouseError;

    expect(error).toBeInstanceOf(GatehouseError);
    expect([error.status, error.code, error.retryAfterSeconds, isSessionGone(error)]).toEqual([503, 'unavailable', 7, false]);
    expect(onGone).not.toHaveBeenCalled();
    expect(source.forgotten).toBe(0);
    expect(sut.sessionId).toBe(SESSION.sessionId);

    gateway.mode = { kind: 'ok' };
    expect(await sut.accessToken()).toBe('at-1');
  });

  it('keeps the session when throttled (429)', async () => {
    gateway.mode = { kind: 'fail', status: 429, code: 'rate_limited', retryAfter: '30' };
    const onGone = jest.fn();
    const sut = new SessionKeeper({ base, session: memorySource(), onGone });

    await expect(sut.accessToken()).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(onGone).not.toHaveBeenCalled();
    expect(sut.sessionId).toBe(SESSION.sessionId);
  });

  it('keeps the session when no answer comes (network)', async () => {
    const source = memorySource();
    const onGone = jest.fn();
    // A port nothing listens on: a closed server's.
    const closed = new FakeGateway();
    const nowhere = await closed.start();
    await closed.stop();
    const sut = new SessionKeeper({ base: nowhere, session: source, onGone });

    await expect(sut.accessToken()).rejects.toMatchObject({ code: 'network', status: 0 });
    expect(onGone).not.toHaveBeenCalled();
    expect(source.forgotten).toBe(0);
  });

  it('reports a login for this origin that has ended without asking the server', async () => {
    const onGone = jest.fn();
    const sut = new SessionKeeper({ base, session: SESSION, until: Date.now() - 1, onGone });

    await expect(sut.accessToken()).rejects.toMatchObject({ code: 'token_expired', errno: 2 });
    expect(onGone).toHaveBeenCalledWith(expect.objectContaining({ code: 'token_expired' }));
    expect(gateway.challenges).toBe(0);
  });

  it('retries a refused access token once with a fresh one', async () => {
    const sut = new SessionKeeper({ base, session: SESSION });
    sut.useAccessToken('revoked-token', Date.now() + 600_000);
    const me = (authorization: string) =>
      fetch(`${base}/api/v1/me`, { headers: { authorization } }).then(async (response) => {
        if (!response.ok) throw new GatehouseError('unauthenticated', 'refused', response.status);
        return (await response.json()) as { username: string };
      });

    expect(await sut.authorized(me)).toEqual({ username: 'jdo' });
    expect(gateway.meCalls).toEqual(['revoked-token', 'at-1']);
    expect(gateway.challenges).toBe(1);
  });

  it('reads the session at every mint, so a session stored by another tab is used', async () => {
    const source = memorySource(null);
    const sut = new SessionKeeper({ base, session: source });

    await expect(sut.accessToken()).rejects.toMatchObject({ code: 'not_logged_in' });
    source.load = () => SESSION;
    expect(await sut.accessToken()).toBe('at-1');
  });
});
