import type { ApiRoutes, RouteReply, RouteRequest } from '@gatehouse/contracts';
import { API_PREFIX } from '@gatehouse/contracts/src/api/protocol';
import { routePath, splitRouteKey } from '@gatehouse/contracts/src/api/route';
import { forgetSession, proofFor, storedSession } from './session';
import type { ActiveLogin } from './types';

export const API_BASE = API_PREFIX;

type RouteKey = keyof ApiRoutes;
/** Routes a signed-in user calls send the access token; the others say `auth: false`, checked by the compiler. */
type CallOptions<K extends RouteKey> = (ApiRoutes[K]['security'] extends readonly ('bearer' | 'apiKey')[]
  ? ApiRoutes[K]['security'] extends readonly []
    ? { auth: false }
    : { auth?: true }
  : { auth: false }) & { headers?: Record<string, string> };
type CallRequest<K extends RouteKey> = RouteRequest<ApiRoutes[K]> & CallOptions<K>;
type CallArgs<K extends RouteKey> = Record<string, never> extends CallRequest<K> ? [request?: CallRequest<K>] : [request: CallRequest<K>];
/** What a route answers, as its declaration in `@gatehouse/contracts` says. */
export type Reply<K extends RouteKey> = RouteReply<ApiRoutes[K]>;

/** The gateway's error shape `{ error: { code, message, details? } }`, or `network` when no answer came. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A 4xx other than 429 on the session's own credentials: it no longer exists (logged out elsewhere, expired). */
export const isSessionGone = (error: unknown): boolean =>
  error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429;

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the access token, and on 401 mint a new one from the stored session once. */
  auth?: boolean;
}

/**
 * JSON over HTTP against the gateway. Holds the access token in memory only; when it is missing,
 * expired or refused, a new one is minted by challenge-response from the stored session. When the
 * session itself is gone (revoked, expired), `onSessionEnded` signs this tab out.
 */
export class Api {
  private token?: { value: string; expiresAt: number };
  private minting?: Promise<string>;

  constructor(private readonly onSessionEnded: () => void) {}

  useLogin(login: Pick<ActiveLogin, 'accessToken' | 'expiresAt'>): void {
    this.token = { value: login.accessToken, expiresAt: Date.parse(login.expiresAt) };
  }

  forgetToken(): void {
    this.token = undefined;
  }

  /** A valid access token (minted when needed); for the WebSocket's first message. */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - Date.now() > 30_000) return this.token.value;
    return this.mint();
  }

  /**
   * Calls a declared route: `api.call('PUT /me/homescreen', { body })`, `api.call('DELETE /me/sessions/:id', { params: { id } })`.
   * Request and reply are typed by the route's declaration (types only: no schema reaches the bundle).
   */
  call<K extends RouteKey>(route: K, ...[request]: CallArgs<K>): Promise<Reply<K>> {
    const { params, query, body, auth, headers } = (request ?? {}) as {
      params?: Record<string, string>;
      query?: Record<string, string | undefined>;
      body?: unknown;
      auth?: boolean;
      headers?: Record<string, string>;
    };
    const [method, path] = splitRouteKey(route);
    const search = new URLSearchParams(Object.entries(query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const url = `${routePath(path, params)}${search.toString() ? `?${search.toString()}` : ''}`;
    return this.request<Reply<K>>(method, url, { body, auth, headers });
  }

  /** The transport under `call`; for routes with no declaration yet. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    const send = async (token?: string) =>
      fetchJson(method, path, { ...options, headers: { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    if (!auth) return (await send()) as T;
    try {
      return (await send(await this.accessToken())) as T;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      this.token = undefined;
      return (await send(await this.mint())) as T;
    }
  }

  private mint(): Promise<string> {
    this.minting ??= this.challengeResponse().finally(() => (this.minting = undefined));
    return this.minting;
  }

  private async challengeResponse(): Promise<string> {
    const session = storedSession();
    if (!session) {
      this.onSessionEnded();
      throw new ApiError(401, 'unauthenticated', 'not signed in');
    }
    try {
      const { nonce } = await this.call('POST /auth/sessions/:id/challenge', { params: { id: session.id }, auth: false });
      const proof = await proofFor(session.password, nonce);
      const issued = await this.call('POST /auth/sessions/:id/token', { params: { id: session.id }, body: { nonce, proof }, auth: false });
      this.useLogin(issued);
      return issued.accessToken;
    } catch (error) {
      // 5xx and network errors keep the session: the next request tries again.
      if (isSessionGone(error)) {
        forgetSession();
        this.onSessionEnded();
      }
      throw error;
    }
  }
}

async function fetchJson(method: string, path: string, options: RequestOptions = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'no answer from the server');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body;
  const error = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiError(
    response.status,
    error?.code ?? 'internal_error',
    error?.message ?? response.statusText,
    error?.details,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}
