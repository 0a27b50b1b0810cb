import type { ActiveLoginRes, ApiRoutes, ClientApplication, PendingLoginRes, RouteReply } from '@gatehouse/contracts';
import { GatehouseError, isSessionGone, requestJson, type Errno } from './http';
import { SessionKeeper } from './session-keeper';
import { browserStore, formatToken, noStore, parseToken, type SessionToken, type TokenStore } from './tokens';
import { HOSTED_LOGIN_PATH, LOGIN_PROTOCOL, type HostedLoginMessage } from './protocol';

export type GatehouseUser = ActiveLoginRes['user'];
/** What a public route answers, from its declaration in @gatehouse/contracts (types only: nothing of it is bundled). */
type Reply<K extends keyof ApiRoutes> = RouteReply<ApiRoutes[K]>;

/** The options of `Auth.login` (seed 002, "Authentication options list"); all optional. */
export interface LoginOptions {
  /** No prompt: resolves or rejects on the current login and saved tokens only; every other option is ignored. */
  checkonly?: boolean;
  /** With `password`: log in with them (and keep a token to come back, unless `notoken`). */
  username?: string;
  password?: string;
  /** With username/password: log in without a lasting token (nothing saved; the session ends with the page). */
  notoken?: boolean;
  /** No pop-up or iframe even in a browser; tokens are neither saved nor reused across page loads. */
  nodom?: boolean;
  /** Qualifies this login so that tabs log in independently (see `Auth.getSubID()`). */
  subid?: string;
  /** null or left out: 24 hours then logout; `refreshable`: alive while used daily; `longLogin`: weekly. */
  application?: ClientApplication | null;
  /** Tokens to resume from (ignored with username/password or checkonly). */
  tokens?: string[];
  /** The origin being logged in to (default: this page's origin). */
  origin?: string;
  /** Called with the live tokens (keys) and when each ends (ms since 1970, or null when unknown). */
  tokenCB?: (tokens: Record<string, number | null>) => void;
  /** Two-factor: called while the login waits for approval, with the security code to show the user. */
  pendingCB?: (pending: PendingInfo) => void;
  /** The device as Account security lists it (default: this browser, or "Node.js"). */
  device?: { name: string; platform: string };
}

export interface PendingInfo {
  securityCode: string;
  expiresAt: string;
  approvalChannels?: PendingLoginRes['approvalChannels'];
}

export interface LoginResult {
  user: GatehouseUser;
  subid: string | null;
}

export interface LogoutEvent {
  /** Seed 002: 2 = logged out (the session was ended elsewhere, expired, or its token refused). */
  errno: Errno;
  reason: string;
}

type Pending = Pick<PendingLoginRes, 'pendingId' | 'pollToken' | 'securityCode' | 'expiresAt'> &
  Partial<Pick<PendingLoginRes, 'approvalChannels'>>;

interface Live {
  token: SessionToken;
  /** Mints and caches the access tokens; knows when the login for this origin ends (`until`). */
  keeper: SessionKeeper;
  /** Saved between page loads (not for notoken or nodom). */
  saved: boolean;
  subid: string | null;
}

const HOUR_MS = 3600_000;
const PENDING_POLL_MS = 1000;
const SOCKET_RETRY_MS = 2000;
const SUBID_KEY = 'gatehouse-subid';

const hasWindow = () => typeof window !== 'undefined' && typeof document !== 'undefined';
const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

function defaultHost(): string {
  try {
    // The API host is where the library was loaded from, unless setHost says otherwise.
    const url = new URL(import.meta.url);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // not loaded from a URL (bundled): setHost is required
  }
  return '';
}

function defaultDevice(): { name: string; platform: string } {
  if (hasWindow()) return { name: `Web app at ${location.origin}`.slice(0, 200), platform: 'web' };
  return { name: 'Node.js app', platform: 'node' };
}

/**
 * `Gatehouse.Auth` (seed 002): one login of this page (or process) to one API host.
 * State: `user`, `loggedIn`; refreshed hourly, and at once on a remote logout while a WebSocket
 * can be held (browsers, Node 22+).
 */
export class Auth {
  private host = defaultHost();
  private live?: Live;
  private store: TokenStore = noStore;
  private storeKey = '';
  private socket?: WebSocket;
  private socketTimer?: ReturnType<typeof setTimeout>;
  private hourly?: ReturnType<typeof setInterval>;
  private pendingCancel?: () => void;
  private tokenCB?: LoginOptions['tokenCB'];
  private readonly logoutListeners = new Set<(event: LogoutEvent) => void>();
  private unloadHook?: () => void;

  user: GatehouseUser | null = null;
  get loggedIn(): boolean {
    return !!this.live;
  }
  /** True while the live feed (WebSocket) is authenticated: a remote logout then reaches `onLogout` at once. */
  get following(): boolean {
    return this.socketReady;
  }
  private socketReady = false;

  /** The API host, e.g. `https://gatehouse.example.com` (default: where this library was loaded from). */
  setHost(url: string): void {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new GatehouseError('validation_failed', 'The host must be an http(s) URL');
    this.host = parsed.origin;
  }

  getHost(): string {
    return this.host;
  }

  /** A sub-id unique to this tab (kept across reloads of the tab, never shared with another tab). */
  getSubID(): string {
    const fresh = () => `tab-${Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
    if (!hasWindow()) return fresh();
    try {
      const existing = sessionStorage.getItem(SUBID_KEY);
      if (existing) return existing;
      const id = fresh();
      sessionStorage.setItem(SUBID_KEY, id);
      return id;
    } catch {
      return fresh();
    }
  }

  /** Called with `{ errno: 2 }` when the login ends without this page asking (revoked elsewhere, expired). Returns the unsubscribe. */
  onLogout(callback: (event: LogoutEvent) => void): () => void {
    this.logoutListeners.add(callback);
    return () => this.logoutListeners.delete(callback);
  }

  /** The current access token (minted when needed), for your own REST calls: `Authorization: Bearer <token>`. */
  async accessToken(): Promise<string> {
    return this.requireLive().keeper.accessToken();
  }

  /** JSON against the API (`path` under /api/v1) with this login's access token; a refused token is minted again once. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return this.requireLive().keeper.authorized(
      async (authorization) => (await requestJson<T>(this.host, method, path, { body, authorization })).body,
    );
  }

  async login(options: LoginOptions = {}): Promise<LoginResult> {
    if (!this.host) throw new GatehouseError('validation_failed', 'Call Gatehouse.Auth.setHost(url) first');
    const nodom = !!options.nodom || !hasWindow();
    // checkonly ignores the other options, but a sub-id still says which tab's saved login to check.
    const subid = options.subid ?? (options.checkonly ? (this.live?.subid ?? null) : null);
    this.useStore(nodom, subid);
    if (options.checkonly) return this.check();
    this.tokenCB = options.tokenCB ?? this.tokenCB;

    if (options.username !== undefined && options.password !== undefined) {
      const answer = await requestJson<Reply<'POST /auth/login'>>(this.host, 'POST', '/auth/login', {
        body: {
          username: options.username,
          password: options.password,
          device: options.device ?? defaultDevice(),
          ...(options.application ? { application: options.application } : {}),
          ...(subid ? { subid } : {}),
        },
      });
      const active = answer.body.status === 'pending' ? await this.waitForApproval(answer.body, options.pendingCB) : answer.body;
      return this.adopt(active, { subid, keep: !options.notoken && !nodom, notoken: !!options.notoken });
    }

    // Resume: the given tokens, then this login, then the saved one.
    for (const text of options.tokens ?? []) {
      const token = parseToken(text);
      if (!token) continue;
      try {
        return await this.resume(this.liveOf(token, { saved: !nodom, until: null, subid }));
      } catch (error) {
        if (!isSessionGone(error)) throw error;
      }
    }
    try {
      return await this.check();
    } catch (error) {
      if (!(error instanceof GatehouseError) || error.code !== 'not_logged_in' || nodom) throw error;
    }
    return this.popup(options, subid);
  }

  /** Seed 002's three cases: `{ logout: true }` ends the login on the server; `{ cleanup: true }` drops this page's state (the saved token stays); both. */
  async exit(options: { logout?: boolean; cleanup?: boolean } = { cleanup: true }): Promise<void> {
    this.pendingCancel?.();
    const live = this.live;
    if (options.logout && live) {
      try {
        const authorization = `Bearer ${await this.accessToken()}`;
        await requestJson(this.host, 'DELETE', '/me/sessions/current', { authorization });
      } catch (error) {
        if (!isSessionGone(error)) throw error;
      }
      this.store.remove(this.storeKey);
    }
    if (options.logout || options.cleanup) this.drop();
  }

  // ---- internals ----

  private useStore(nodom: boolean, subid: string | null): void {
    this.store = nodom ? noStore : browserStore();
    this.storeKey = `gatehouse-login:${this.host}:${subid ?? ''}`;
  }

  private requireLive(): Live {
    if (!this.live) throw new GatehouseError('not_logged_in', 'Not logged in', 401, 1);
    return this.live;
  }

  /** checkonly: the current login or the saved token, no prompt. */
  private async check(): Promise<LoginResult> {
    if (this.live) {
      try {
        await this.accessToken();
        return this.resultOf(this.live);
      } catch (error) {
        if (!isSessionGone(error)) throw error;
        this.ended('expired', false);
      }
    }
    const saved = this.store.load(this.storeKey);
    const token = saved ? parseToken(saved.token) : null;
    if (!saved || !token) throw new GatehouseError('not_logged_in', 'Not logged in', 401, 1);
    if (saved.until !== null && saved.until <= Date.now()) {
      this.store.remove(this.storeKey);
      throw new GatehouseError('not_logged_in', 'The saved login has ended', 401, 2);
    }
    try {
      return await this.resume(this.liveOf(token, { saved: true, until: saved.until, subid: this.subidOfKey() }));
    } catch (error) {
      if (isSessionGone(error)) {
        this.store.remove(this.storeKey);
        throw new GatehouseError('not_logged_in', 'The saved login has ended', 401, 2);
      }
      throw error;
    }
  }

  private subidOfKey(): string | null {
    const subid = this.storeKey.slice(this.storeKey.lastIndexOf(':') + 1);
    return subid || null;
  }

  /** A login of this page: its keeper mints from `token`, reports new tokens, and ends this login when the session is gone. */
  private liveOf(token: SessionToken, how: { saved: boolean; until: number | null; subid: string | null }): Live {
    const keeper = new SessionKeeper({
      base: () => this.host,
      session: token,
      until: how.until,
      onMinted: () => this.reportTokens(),
      onGone: (error) => {
        if (this.live === live) this.ended(error.code === 'token_expired' ? 'expired' : 'revoked', true);
      },
    });
    const live: Live = { token, keeper, saved: how.saved, subid: how.subid };
    return live;
  }

  private async resume(live: Live): Promise<LoginResult> {
    await live.keeper.mint();
    this.live = live;
    this.user = userOf(await this.request<Reply<'GET /me'>>('GET', '/me')) ?? this.user;
    this.started();
    return this.resultOf(live);
  }

  /** A fresh login: bind its token to this origin (the origin's lifetime applies), keep it unless notoken/nodom. */
  private async adopt(login: ActiveLoginRes, how: { subid: string | null; keep: boolean; notoken: boolean }): Promise<LoginResult> {
    const token = { sessionId: login.session.id, password: login.session.password };
    const authorization = `Bearer ${login.accessToken}`;
    let until: number | null = null;
    // A page on another origin than the API host binds the token to its origin; the host's own pages and Node need not.
    if (hasWindow() && location.origin !== this.host) {
      try {
        const bound = await requestJson<Reply<'POST /web-origins/bind'>>(this.host, 'POST', '/web-origins/bind', {
          body: {},
          authorization,
        });
        until = Date.parse(bound.body.tokenUntil);
      } catch (error) {
        // Not registered for the user's domain: this page gets no login.
        await requestJson(this.host, 'DELETE', '/me/sessions/current', { authorization }).catch(() => undefined);
        throw error;
      }
    }
    const live = this.liveOf(token, { saved: how.keep, until, subid: how.subid });
    live.keeper.useAccessToken(login.accessToken, login.expiresAt);
    this.live = live;
    this.user = login.user;
    if (how.keep) this.store.save(this.storeKey, { token: formatToken(token), until });
    if (how.notoken) this.endWithPage(authorization);
    this.started();
    return this.resultOf(live);
  }

  /** notoken: the session is this page's only; it is ended when the page goes away. */
  private endWithPage(authorization: string): void {
    if (!hasWindow()) return;
    const end = () => {
      const live = this.live;
      if (!live || live.saved) return;
      const current = live.keeper.current;
      const bearer = current ? `Bearer ${current.value}` : authorization;
      void requestJson(this.host, 'DELETE', '/me/sessions/current', { authorization: bearer, keepalive: true }).catch(() => undefined);
    };
    this.unloadHook = end;
    window.addEventListener('pagehide', end);
  }

  private async waitForApproval(pending: Pending, pendingCB?: LoginOptions['pendingCB']): Promise<ActiveLoginRes> {
    pendingCB?.({ securityCode: pending.securityCode, expiresAt: pending.expiresAt, approvalChannels: pending.approvalChannels });
    let cancelled = false;
    this.pendingCancel = () => {
      cancelled = true;
      void requestJson(this.host, 'DELETE', `/auth/login/pending/${pending.pendingId}`, {
        authorization: `Pending ${pending.pollToken}`,
      }).catch(() => undefined);
    };
    try {
      for (;;) {
        if (cancelled) throw new GatehouseError('cancelled', 'The login was cancelled');
        let reply: Reply<'GET /auth/login/pending/:id'> | undefined;
        try {
          reply = (
            await requestJson<Reply<'GET /auth/login/pending/:id'>>(this.host, 'GET', `/auth/login/pending/${pending.pendingId}`, {
              authorization: `Pending ${pending.pollToken}`,
            })
          ).body;
        } catch (error) {
          if (isSessionGone(error)) throw new GatehouseError('expired', 'The login request has ended', (error as GatehouseError).status);
        }
        if (cancelled) throw new GatehouseError('cancelled', 'The login was cancelled');
        if (reply?.status === 'approved') {
          // The approved login comes once: a second reader sees only the status.
          if (!('session' in reply)) throw new GatehouseError('lost', 'The approved login was taken by another reader');
          const { session, accessToken, expiresAt, user } = reply;
          return { status: 'active', session, accessToken, expiresAt, user };
        }
        if (reply && reply.status !== 'pending') throw new GatehouseError(reply.status, `The login was ${reply.status}`);
        await sleep(PENDING_POLL_MS);
      }
    } finally {
      this.pendingCancel = undefined;
    }
  }

  /** The hosted login page in a pop-up; its answer comes by postMessage from the API host only. */
  private popup(options: LoginOptions, subid: string | null): Promise<LoginResult> {
    const origin = options.origin ?? location.origin;
    const url = new URL(HOSTED_LOGIN_PATH, this.host);
    url.searchParams.set('origin', origin);
    if (subid) url.searchParams.set('subid', subid);
    if (options.application) url.searchParams.set('application', options.application);
    const opened = window.open(url.toString(), 'gatehouse-login', 'popup,width=440,height=620');
    if (!opened) return Promise.reject(new GatehouseError('popup_blocked', 'The login pop-up was blocked'));
    const popup = opened;
    return new Promise<LoginResult>((resolve, reject) => {
      const finish = () => {
        window.removeEventListener('message', onMessage);
        clearInterval(watch);
        this.pendingCancel = undefined;
      };
      const onMessage = (event: MessageEvent) => {
        if (event.source !== popup || event.origin !== this.host) return;
        const data = event.data as HostedLoginMessage | undefined;
        if (!data || data.gatehouse !== LOGIN_PROTOCOL) return;
        finish();
        if (data.type === 'error') return reject(new GatehouseError(data.code, data.message));
        const token = parseToken(data.token);
        if (!token) return reject(new GatehouseError('invalid_message', 'The login page sent no token'));
        const until = data.tokenUntil ? Date.parse(data.tokenUntil) : null;
        const live = this.liveOf(token, { saved: !options.nodom, until, subid });
        live.keeper.useAccessToken(data.accessToken, data.expiresAt);
        this.live = live;
        this.user = data.user;
        if (live.saved) this.store.save(this.storeKey, { token: data.token, until });
        this.started();
        resolve(this.resultOf(live));
      };
      const watch = setInterval(() => {
        if (!popup.closed) return;
        finish();
        reject(new GatehouseError('cancelled', 'The login window was closed'));
      }, 300);
      this.pendingCancel = () => {
        finish();
        popup.close();
        reject(new GatehouseError('cancelled', 'The login was cancelled'));
      };
      window.addEventListener('message', onMessage);
    });
  }

  private resultOf(live: Live): LoginResult {
    return { user: this.user!, subid: live.subid };
  }

  private reportTokens(): void {
    const live = this.live;
    if (!live || !this.tokenCB) return;
    try {
      this.tokenCB(live.saved ? { [formatToken(live.token)]: live.keeper.until } : {});
    } catch {
      // the app's callback
    }
  }

  /** After any login: follow the session live (WebSocket) and refresh the state hourly. */
  private started(): void {
    this.reportTokens();
    this.openSocket();
    if (this.hourly) clearInterval(this.hourly);
    this.hourly = setInterval(() => void this.refresh(), HOUR_MS);
    (this.hourly as { unref?: () => void }).unref?.();
  }

  private async refresh(): Promise<void> {
    if (!this.live) return;
    try {
      this.user = userOf(await this.request<Reply<'GET /me'>>('GET', '/me')) ?? this.user;
    } catch {
      // a gone session was reported by mint; network trouble: the next hour tries again
    }
  }

  private openSocket(): void {
    this.closeSocket();
    const live = this.live;
    if (!live || typeof WebSocket === 'undefined') return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${this.host.replace(/^http/, 'ws')}/api/v1/ws`);
    } catch {
      return;
    }
    this.socket = ws;
    ws.onopen = () => {
      void this.accessToken()
        .then((accessToken) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'auth', accessToken })))
        .catch(() => ws.close());
    };
    ws.onmessage = (event) => {
      let message: { type?: string; sessionId?: string; expiresInMs?: number };
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (message.type === 'session.revoked' && (!message.sessionId || message.sessionId === live.token.sessionId))
        this.ended('revoked', true);
      if (message.type === 'ready') {
        this.socketReady = true;
        if (typeof message.expiresInMs === 'number') this.renewSocketAuth(ws, message.expiresInMs);
      }
    };
    ws.onclose = (event) => {
      if (this.socket !== ws) return;
      this.socket = undefined;
      this.socketReady = false;
      if (event.code === 4001) return this.ended('revoked', true);
      if (this.live !== live) return;
      // A refused (4401) or expired (4440) access token: mint a new one, which reports a session that is gone
      // (revoked while the socket was connecting) as a logout. A restart or the network: try again.
      const refused = event.code === 4401 || event.code === 4440;
      if (refused) live.keeper.dropAccessToken();
      this.socketTimer = setTimeout(
        () => {
          if (this.live !== live) return;
          void this.accessToken()
            .then(() => this.openSocket())
            .catch(() => undefined);
        },
        refused ? 250 : SOCKET_RETRY_MS,
      );
    };
  }

  private renewSocketAuth(ws: WebSocket, expiresInMs: number): void {
    if (this.socketTimer) clearTimeout(this.socketTimer);
    this.socketTimer = setTimeout(
      () => {
        if (this.socket !== ws || !this.live) return;
        this.live.keeper.dropAccessToken();
        void this.accessToken()
          .then((accessToken) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'auth', accessToken })))
          .catch(() => undefined);
      },
      Math.max(1000, expiresInMs - 60_000),
    );
  }

  private closeSocket(): void {
    if (this.socketTimer) clearTimeout(this.socketTimer);
    this.socketTimer = undefined;
    const ws = this.socket;
    this.socket = undefined;
    this.socketReady = false;
    if (ws && ws.readyState <= 1) ws.close(1000);
  }

  /** The login ended without this page asking: forget it and tell the app (errno 2). */
  private ended(reason: string, notify: boolean): void {
    if (!this.live) return;
    if (this.live.saved) this.store.remove(this.storeKey);
    this.drop();
    if (!notify) return;
    for (const listener of [...this.logoutListeners]) {
      try {
        listener({ errno: 2, reason });
      } catch {
        // the app's callback
      }
    }
  }

  private drop(): void {
    this.closeSocket();
    if (this.hourly) clearInterval(this.hourly);
    this.hourly = undefined;
    if (this.unloadHook && hasWindow()) window.removeEventListener('pagehide', this.unloadHook);
    this.unloadHook = undefined;
    this.live = undefined;
    this.user = null;
  }
}

/** GET /me: the user's profile (with `sipUri`). */
function userOf(body: unknown): GatehouseUser | null {
  return body && typeof body === 'object' && 'username' in body && 'domain' in body ? (body as GatehouseUser) : null;
}
