import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  HttpCode,
  RequestMapping,
  RequestMethod,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import {
  apiRoutes,
  splitRouteKey,
  type ApiRouteKey,
  type ApiRoutes,
  type RouteInput,
  type RouteReplyInput,
  type RouteSpec,
} from '@gatehouse/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AccessGuard, AdminGuard } from '../auth/access.guard';
import { ZodPipe } from './zod.pipe';

const ROUTE_SPEC = 'gatehouse:route';

type MaybePromise<T> = T | Promise<T>;
/** Routes that answer through `@Res()` (HTML pages, redirects) return the Fastify reply; all others their declared reply. */
type HandlerReturn<R extends RouteSpec> = R extends { html: string } | { status: 302 }
  ? MaybePromise<unknown>
  : MaybePromise<RouteReplyInput<R>>;

/**
 * Binds a handler to its declaration in `@gatehouse/contracts` (`apiRoutes`): method and path,
 * success status, the access guard its security asks for. The handler's return type is checked
 * against the declared reply; `@Input()` gives it the validated params, query and body.
 * The controller carries no path (`@Controller()`): the declaration holds the whole path.
 */
export function Route<K extends ApiRouteKey>(key: K) {
  const spec: RouteSpec = apiRoutes[key];
  const [method, path] = splitRouteKey(key);
  const decorators = [RequestMapping({ path, method: RequestMethod[method] }), SetMetadata(ROUTE_SPEC, spec), HttpCode(spec.status ?? 200)];
  if (spec.security.includes('bearer') || spec.security.includes('apiKey')) {
    decorators.push(spec.admin ? UseGuards(AccessGuard, AdminGuard) : UseGuards(AccessGuard));
  }
  const apply = applyDecorators(...decorators);
  return <T extends (...args: never[]) => HandlerReturn<ApiRoutes[K]>>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): void => {
    apply(target, propertyKey, descriptor);
  };
}

/** The validated `{ params, query, body }` of the route the handler is bound to with `@Route`. */
export type Input<K extends ApiRouteKey> = RouteInput<ApiRoutes[K]>;

/** Each path parameter on its own (its message names no field, as before), then the query and the body as a whole. */
export function parseInput(spec: RouteSpec, request: Pick<FastifyRequest, 'params' | 'query' | 'body'>): RouteInput<RouteSpec> {
  const rawParams = (request.params ?? {}) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(spec.params?.shape ?? {})) {
    params[name] = new ZodPipe(schema as z.ZodType).transform(rawParams[name]);
  }
  const query = spec.query ? new ZodPipe(spec.query).transform(request.query) : {};
  const body = spec.body ? new ZodPipe(spec.body).transform(request.body) : undefined;
  return { params, query, body } as RouteInput<RouteSpec>;
}

export const Input = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const spec = Reflect.getMetadata(ROUTE_SPEC, context.getHandler()) as RouteSpec | undefined;
  if (!spec) throw new Error('@Input() needs @Route() on the handler');
  return parseInput(spec, context.switchToHttp().getRequest<FastifyRequest>());
});
