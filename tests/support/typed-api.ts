import { API_PREFIX, ApiRouteKey, ApiRoutes, RouteReply, RouteRequest, routePath, splitRouteKey } from '@gatehouse/contracts';
import type { ErrorBody } from '@gatehouse/errors';
import { api } from './system';

/** A reply as a test sees it: the route's declared reply on success, the one error shape otherwise. */
export type CallResult<K extends ApiRouteKey> =
  | { ok: true; status: number; body: RouteReply<ApiRoutes[K]>; headers: Headers }
  | { ok: false; status: number; body: { error: ErrorBody }; headers: Headers };

type CallRequest<K extends ApiRouteKey> = RouteRequest<ApiRoutes[K]> & { headers?: Record<string, string> };
/** The request may be left out when the route needs no params, query or body. */
type CallArgs<K extends ApiRouteKey> =
  Record<string, never> extends CallRequest<K> ? [request?: CallRequest<K>] : [request: CallRequest<K>];

/**
 * The public API through its route declarations (libs/contracts/src/api), typed both ways:
 * `call(system, 'PUT /me/homescreen', { body, headers: bearer(token) })`. The body is sent as given:
 * a test of a refused input still uses `api()`, which takes anything.
 */
export async function call<K extends ApiRouteKey>(system: { url: string }, key: K, ...[request]: CallArgs<K>): Promise<CallResult<K>> {
  const [method, path] = splitRouteKey(key);
  const { params, query, body, headers } = (request ?? {}) as {
    params?: Record<string, string>;
    query?: object;
    body?: unknown;
    headers?: Record<string, string>;
  };
  const search = query ? `?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}` : '';
  const response = await api(system, method, `${API_PREFIX}${routePath(path, params)}${search}`, { body, ...(headers ? { headers } : {}) });
  return { ...response, ok: response.status < 400 } as CallResult<K>;
}

/** The reply of a call that must succeed with `status`; otherwise the test fails with what came back. */
export async function expectCall<K extends ApiRouteKey>(
  status: number,
  system: { url: string },
  key: K,
  ...args: CallArgs<K>
): Promise<RouteReply<ApiRoutes[K]>> {
  const result = await call(system, key, ...args);
  if (result.status !== status) throw new Error(`${key}: expected ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
  return result.body as RouteReply<ApiRoutes[K]>;
}
