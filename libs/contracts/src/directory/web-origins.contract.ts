import { z } from 'zod';
import { request } from '../contract';
import { Domain } from '../common/schemas';
import { AppId } from './registry.schemas';

/**
 * Web apps on other origins (issue 19, seed 002): the origins that may use the login library, the
 * hosted login page and CORS. An app's origins are the origin of its `url` plus the extra origins an
 * admin lists on it; the token lifetime (hours) applies to logins made for those origins.
 */
export const WebOriginsSubjects = {
  list: 'directory.web-origins.list',
  get: 'directory.web-origins.get',
  set: 'directory.web-origins.set',
} as const;

/** One web origin: `scheme://host[:port]`, no path (what a browser sends in `Origin`). */
export const WebOrigin = z
  .string()
  .max(300)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
      } catch {
        return false;
      }
    },
    { message: 'must be an origin: http(s)://host[:port] with no path, query, fragment or trailing slash' },
  );

/** Seed 002: "Token expiry is set based on the application origin and defaults to 1 day". */
export const DEFAULT_TOKEN_LIFETIME_HOURS = 24;
export const TokenLifetimeHours = z
  .number()
  .int()
  .min(1)
  .max(24 * 365);

/** GET|PUT /admin/apps/:id/web-origins. `origins` are the extra ones; `appOrigin` is the origin of the app's url. */
export const WebOriginsBody = z
  .object({ origins: z.array(WebOrigin).max(50), tokenLifetimeHours: TokenLifetimeHours.nullable().optional() })
  .strict();
export type WebOriginsBody = z.infer<typeof WebOriginsBody>;
export const WebOriginsView = z.object({
  app: AppId,
  domain: Domain,
  appOrigin: z.string().nullable(),
  origins: z.array(z.string()),
  /** null: the default, 24 hours. */
  tokenLifetimeHours: z.number().int().nullable(),
});
export type WebOriginsView = z.infer<typeof WebOriginsView>;

/** Every registered origin of every domain: what CORS and the hosted login page decide by. */
export const RegisteredOrigin = z.object({ origin: z.string(), domain: Domain, appId: AppId, tokenLifetimeHours: z.number().int() });
export type RegisteredOrigin = z.infer<typeof RegisteredOrigin>;
export const WebOriginsListReq = z.object({}).strict();
export const WebOriginsListRes = z.object({ origins: z.array(RegisteredOrigin) });
export const WebOriginsGetReq = z.object({ domain: Domain, id: AppId }).strict();
export const WebOriginsSetReq = z
  .object({ domain: Domain, id: AppId, origins: z.array(WebOrigin).max(50), tokenLifetimeHours: TokenLifetimeHours.nullable() })
  .strict();

/** POST /web-origins/bind: `origin` only from the hosted login page (same origin); a cross-origin caller is bound to its `Origin`. */
export const BindBody = z.object({ origin: WebOrigin.optional() }).strict();
export const BindReply = z.object({ origin: z.string(), app: AppId, tokenUntil: z.string() });

export const webOriginsContract = {
  [WebOriginsSubjects.list]: request(WebOriginsListReq, WebOriginsListRes),
  [WebOriginsSubjects.get]: request(WebOriginsGetReq, WebOriginsView),
  [WebOriginsSubjects.set]: request(WebOriginsSetReq, WebOriginsView),
};
