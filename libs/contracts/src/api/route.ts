import type { z } from 'zod';
import type { ErrorCode } from '@gatehouse/errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How a caller proves who it is: `bearer` a session's access token, `apiKey` an API key
 * (`Authorization: ApiKey <key>`), `pending` the poll token of a login waiting for approval
 * (`Authorization: Pending <pollToken>`). An empty list: anyone may call.
 */
export type RouteSecurity = 'bearer' | 'apiKey' | 'pending';

/** One public HTTP route: everything a server binds and a client or the OpenAPI document needs. */
export interface RouteSpec {
  /** One line for the OpenAPI operation. */
  summary: string;
  description?: string;
  tag: string;
  security: readonly RouteSecurity[];
  /** Administrators only (with `bearer`/`apiKey`): the gateway adds its admin check. */
  admin?: boolean;
  /** Path parameters (`:id` in the key), each validated on its own. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status (200 when left out) and its JSON reply. */
  status?: 200 | 201 | 202 | 204 | 302;
  reply: z.ZodType;
  /** Other success answers, e.g. 202 with a pending login beside 200 with a session. */
  otherReplies?: Readonly<Partial<Record<200 | 201 | 202, z.ZodType>>>;
  /** An HTML page rather than JSON: `page` for a GET that shows one, `form` for a POST that answers a form post with one. */
  html?: 'page' | 'form';
  /** The error codes this route may answer beside the ones every route of its kind may (validation, authentication, unavailable). */
  errors: readonly ErrorCode[];
}

/** The key of a route: `'PUT /me/homescreen'`, the path under the API prefix with `:name` parameters. */
export type RouteKey = `${HttpMethod} /${string}`;
export type RouteMap = Record<RouteKey, RouteSpec>;

/** Declares a route map; `satisfies` keeps each route's own schema types for the typed client and the gateway. */
export const routes = <const M extends RouteMap>(map: M): M => map;

type Out<S> = S extends z.ZodType ? z.output<S> : never;
type In<S> = S extends z.ZodType ? z.input<S> : never;
type ReplySchemas<R extends RouteSpec> = R['reply'] | (R['otherReplies'] extends Record<number, infer O> ? O : never);

/** What the route answers on success (any of its success statuses), as the client receives it. */
export type RouteReply<R extends RouteSpec> = Out<ReplySchemas<R>>;
/** What a server handler may return for the route. */
export type RouteReplyInput<R extends RouteSpec> = In<ReplySchemas<R>>;

/** What a caller sends: `{ params, query, body }`, each present when the route declares it. */
export type RouteRequest<R extends RouteSpec> = (R['params'] extends z.ZodObject ? { params: z.input<R['params']> } : { params?: never }) &
  (R['query'] extends z.ZodObject ? { query: z.input<R['query']> } : { query?: never }) &
  (R['body'] extends z.ZodType ? { body: z.input<R['body']> } : { body?: never });

/** What a server handler receives after validation. */
export type RouteInput<R extends RouteSpec> = {
  params: R['params'] extends z.ZodObject ? z.output<R['params']> : Record<string, never>;
  query: R['query'] extends z.ZodObject ? z.output<R['query']> : Record<string, never>;
  body: R['body'] extends z.ZodType ? z.output<R['body']> : undefined;
};

/** `'PUT /me/homescreen'` → `['PUT', '/me/homescreen']`. */
export function splitRouteKey(key: RouteKey): [HttpMethod, string] {
  const at = key.indexOf(' ');
  return [key.slice(0, at) as HttpMethod, key.slice(at + 1)];
}

/** Fills `:name` parameters of a route path, each URI-encoded. */
export function routePath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z]\w*)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`route parameter ${name} missing`);
    return encodeURIComponent(String(value));
  });
}
