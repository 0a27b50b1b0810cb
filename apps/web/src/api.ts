import type { ApiRoutes, RouteReply, RouteRequest } from '@gatehouse/contracts';
import { API_PREFIX } from '@gatehouse/contracts/src/api/protocol';
import { routePath, splitRouteKey } from '@gatehouse/contracts/src/api/route';
import { GatehouseError, isSessionGone, requestJson } from '@gatehouse/gatehouse-sdk/src/http';
import { SessionKeeper } from '@gatehouse/gatehouse-sdk/src/session-keeper';
import { browserSession } from './session';
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

/**
 * The gateway's error shape `{ error: { code, message, details? } }` (with `status`, `retryAfterSeconds`),
 * or `network` when no answer came: the login library's error, one transport for both.
 */
export { GatehouseError as ApiError, isSessionGone };

/** The client is served by the API host itself: its requests go to its own origin, with its credentials. */
const SAME_ORIGIN = '';
const CREDENTIALS = 'same-origin';

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the access token (default), and on 401 mint a new one from the stored session once. */
  auth?: boolean;
}

/**
 * JSON over HTTP against the gateway. The access token is kept in memory only, by the login library's
 * SessionKeeper: when it is missing, expired or refused, a new one is minted by challenge-response from
 * the stored session. When the session itself is gone (revoked, expired), `onSessionEnded` signs this tab out.
 */
export class Api {
  private readonly keeper: SessionKeeper;

  constructor(onSessionEnded: () => void) {
    this.keeper = new SessionKeeper({ base: SAME_ORIGIN, session: browserSession, onGone: onSessionEnded, credentials: CREDENTIALS });
  }

  useLogin(login: Pick<ActiveLogin, 'accessToken' | 'expiresAt'>): void {
    this.keeper.useAccessToken(login.accessToken, login.expiresAt);
  }

  forgetToken(): void {
    this.keeper.dropAccessToken();
  }

  /** A valid access token (minted when needed); for the WebSocket's first message. */
  accessToken(): Promise<string> {
    return this.keeper.accessToken();
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
    const send = async (authorization?: string) =>
      (
        await requestJson<T>(SAME_ORIGIN, method, path, {
          body: options.body,
          headers: options.headers,
          authorization,
          credentials: CREDENTIALS,
        })
      ).body;
    return options.auth === false ? send() : this.keeper.authorized(send);
  }
}
