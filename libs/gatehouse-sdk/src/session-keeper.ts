/**
 * The one keeper of a session (seed 002's lasting token; the web client's seed-000 session): it holds
 * the session's id and password, mints short-lived access tokens from them by challenge-response
 * (the password never travels, only hex HMAC-SHA256 of the server's nonce), caches the current one and
 * says when the session is gone. Used by `Auth` here and by the first-party web client (apps/web).
 */
import type { ApiRoutes, RouteReply } from '@gatehouse/contracts';
import { GatehouseError, isSessionGone, proofFor, requestJson, type RequestOptions } from './http';
import type { SessionToken } from './tokens';

type Reply<K extends keyof ApiRoutes> = RouteReply<ApiRoutes[K]>;

/** Where the session lives: read at every mint (another tab may have signed in or out), forgotten when it is gone. */
export interface SessionSource {
  load(): SessionToken | null;
  forget(): void;
}

export interface SessionKeeperOptions {
  /** The API host's origin, or '' on the API host itself; a function when it may change (`Auth.setHost`). */
  base: string | (() => string);
  session: SessionToken | SessionSource;
  /** When the login for this origin ends (ms since 1970), if known; `x-gatehouse-token-until` updates it. */
  until?: number | null;
  /** The session no longer exists (a 4xx other than 429 on challenge or token, or `until` has passed). */
  onGone?: (error: GatehouseError) => void;
  /** A new access token was minted. */
  onMinted?: (minted: { accessToken: string; expiresAt: number; until: number | null }) => void;
  /** Passed to every request (the API host's own pages send their credentials). */
  credentials?: RequestOptions['credentials'];
}

/** A cached access token is used until this close to its end. */
const MARGIN_MS = 30_000;

export class SessionKeeper {
  /** When the login for this origin ends (ms since 1970), or null when unknown. */
  until: number | null;
  private cached?: { value: string; expiresAt: number };
  private minting?: Promise<string>;
  private readonly source: SessionSource;

  constructor(private readonly options: SessionKeeperOptions) {
    this.until = options.until ?? null;
    this.source = 'load' in options.session ? options.session : heldOnly(options.session);
  }

  /** The session's id, or null when there is none. */
  get sessionId(): string | null {
    return this.source.load()?.sessionId ?? null;
  }

  /** The cached access token, if any (even close to its end). */
  get current(): { value: string; expiresAt: number } | undefined {
    return this.cached;
  }

  /** A valid access token: the cached one, or one minted now (one mint at a time, whoever asks). */
  async accessToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt - Date.now() > MARGIN_MS) return this.cached.value;
    return this.mint();
  }

  /** A fresh access token whatever is cached; joins a mint under way. */
  mint(): Promise<string> {
    this.minting ??= this.challengeResponse().finally(() => (this.minting = undefined));
    return this.minting;
  }

  /** An access token that came with the login itself (no need to mint one). */
  useAccessToken(value: string, expiresAt: number | string): void {
    this.cached = { value, expiresAt: typeof expiresAt === 'string' ? Date.parse(expiresAt) : expiresAt };
  }

  /** Drops the cached access token (refused, or about to end): the next `accessToken()` mints. */
  dropAccessToken(): void {
    this.cached = undefined;
  }

  /** Drops the access token and the session (signed out, or the session is gone). */
  forget(): void {
    this.cached = undefined;
    this.source.forget();
  }

  /**
   * `send` with the access token; a refused one (401) is dropped and `send` tried once more with a fresh one.
   * A session found gone meanwhile has been reported by the mint.
   */
  async authorized<T>(send: (authorization: string) => Promise<T>): Promise<T> {
    try {
      return await send(`Bearer ${await this.accessToken()}`);
    } catch (error) {
      if (!(error instanceof GatehouseError) || error.status !== 401 || !this.sessionId) throw error;
      this.cached = undefined;
      return send(`Bearer ${await this.mint()}`);
    }
  }

  private base(): string {
    return typeof this.options.base === 'function' ? this.options.base() : this.options.base;
  }

  private async challengeResponse(): Promise<string> {
    const session = this.source.load();
    if (!session) throw this.gone(new GatehouseError('not_logged_in', 'Not logged in', 401, 1));
    if (this.until !== null && this.until <= Date.now())
      throw this.gone(new GatehouseError('token_expired', 'The login for this origin has ended', 401, 2));
    const base = this.base();
    const credentials = this.options.credentials;
    try {
      const path = `/auth/sessions/${encodeURIComponent(session.sessionId)}`;
      const { body } = await requestJson<Reply<'POST /auth/sessions/:id/challenge'>>(base, 'POST', `${path}/challenge`, { credentials });
      const proof = await proofFor(session.password, body.nonce);
      const issued = await requestJson<Reply<'POST /auth/sessions/:id/token'>>(base, 'POST', `${path}/token`, {
        body: { nonce: body.nonce, proof },
        credentials,
      });
      const until = issued.headers.get('x-gatehouse-token-until');
      if (until) this.until = Date.parse(until);
      // Signed out, or in again with another session (another tab), while this one was minting.
      if (this.sessionId !== session.sessionId)
        throw new GatehouseError('not_logged_in', 'The session changed while a token was minted', 401, 1);
      this.cached = { value: issued.body.accessToken, expiresAt: Date.parse(issued.body.expiresAt) };
      this.options.onMinted?.({ accessToken: this.cached.value, expiresAt: this.cached.expiresAt, until: this.until });
      return issued.body.accessToken;
    } catch (error) {
      // 5xx, a throttle (429) and network trouble keep the session: the next call tries again.
      if (isSessionGone(error) && this.sessionId === session.sessionId) throw this.gone(error as GatehouseError);
      throw error;
    }
  }

  private gone(error: GatehouseError): GatehouseError {
    this.forget();
    this.options.onGone?.(error);
    return error;
  }
}

/** A session held in memory only (the library keeps its own saved copy apart). */
function heldOnly(token: SessionToken): SessionSource {
  let held: SessionToken | null = token;
  return { load: () => held, forget: () => (held = null) };
}
