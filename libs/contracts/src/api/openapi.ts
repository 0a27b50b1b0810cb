import { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { errorCatalog, type ErrorCode } from '@gatehouse/errors';
import { API_PREFIX } from './protocol';
import { splitRouteKey, type RouteKey, type RouteSecurity, type RouteSpec } from './route';

/** The one error shape of every route: `{ error: { code, message, details? } }`, the codes narrowed per status. */
const errorReply = (codes: readonly ErrorCode[]) =>
  z.object({
    error: z.object({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  });

/** The error codes a route may answer: its own, and those every route of its kind may (validation, authentication, unavailable). */
export function declaredErrors(spec: RouteSpec): ErrorCode[] {
  const codes = new Set<ErrorCode>(spec.errors);
  if (spec.params || spec.query || spec.body) ['validation_failed'].forEach((c) => codes.add(c as ErrorCode));
  if (spec.query || spec.body) codes.add('unknown_field');
  if (spec.security.length > 0) ['unauthenticated', 'rate_limited'].forEach((c) => codes.add(c as ErrorCode));
  if (spec.security.includes('bearer')) ['token_expired', 'session_revoked'].forEach((c) => codes.add(c as ErrorCode));
  if (spec.admin) codes.add('forbidden');
  codes.add('service_unavailable');
  return [...codes];
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  302: 'Redirect',
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  422: 'Unprocessable',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Bad gateway',
  503: 'Unavailable',
};

const securityRequirement = (scheme: RouteSecurity): Record<string, string[]> => ({ [scheme]: [] });

function responsesOf(spec: RouteSpec): ZodOpenApiResponsesObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  const status = spec.status ?? 200;
  if (spec.html === 'page') {
    responses[status] = { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } };
  } else if (status === 302) {
    responses[status] = { description: 'Redirect to `Location`', headers: { location: { schema: { type: 'string' } } } };
  } else {
    responses[status] = {
      description: spec.html === 'form' ? `${STATUS_TEXT[status]}; a form post gets an HTML page` : STATUS_TEXT[status],
      content: { 'application/json': { schema: spec.reply } },
    };
  }
  for (const [other, schema] of Object.entries(spec.otherReplies ?? {})) {
    responses[other] = { description: STATUS_TEXT[Number(other)], content: { 'application/json': { schema: schema as z.ZodType } } };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of declaredErrors(spec)) byStatus.set(errorCatalog[code], [...(byStatus.get(errorCatalog[code]) ?? []), code]);
  for (const [errorStatus, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[errorStatus] = {
      description: `${STATUS_TEXT[errorStatus] ?? 'Error'}: ${codes.join(', ')}`,
      content: { 'application/json': { schema: errorReply(codes) } },
    };
  }
  return responses as ZodOpenApiResponsesObject;
}

function operationOf(key: RouteKey, spec: RouteSpec): ZodOpenApiOperationObject {
  const [method, path] = splitRouteKey(key);
  const operationId = `${method.toLowerCase()}${path.replace(/[:/-](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`;
  const operation: ZodOpenApiOperationObject = {
    operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: spec.security.length ? spec.security.map(securityRequirement) : [],
    responses: responsesOf(spec),
  };
  if (spec.params || spec.query)
    operation.requestParams = { ...(spec.params ? { path: spec.params } : {}), ...(spec.query ? { query: spec.query } : {}) };
  if (spec.body) {
    operation.requestBody = {
      required: true,
      content: {
        'application/json': { schema: spec.body },
        ...(spec.html === 'form' ? { 'application/x-www-form-urlencoded': { schema: spec.body } } : {}),
      },
    };
  }
  return operation;
}

export interface OpenApiOptions {
  title?: string;
  version?: string;
  description?: string;
  tags?: Record<string, string>;
}

/** The OpenAPI 3.1 document of the routes, paths under API_PREFIX: replies, error replies, security schemes. */
export function openApiDocument(routeMap: Partial<Record<RouteKey, RouteSpec>>, options: OpenApiOptions = {}) {
  const paths: ZodOpenApiPathsObject = {};
  const tags = new Set<string>();
  for (const [key, spec] of Object.entries(routeMap) as [RouteKey, RouteSpec][]) {
    const [method, path] = splitRouteKey(key);
    const openApiPath = `${API_PREFIX}${path.replace(/:([A-Za-z]\w*)/g, '{$1}')}`;
    paths[openApiPath] = { ...paths[openApiPath], [method.toLowerCase()]: operationOf(key, spec) };
    tags.add(spec.tag);
  }
  const document = createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: options.title ?? 'Gatehouse',
        version: options.version ?? '1',
        description: options.description ?? 'Login, sessions, approvals and the app registry',
        license: { name: 'UNLICENSED', identifier: 'LicenseRef-UNLICENSED' },
      },
      servers: [{ url: '/' }],
      tags: [...tags].sort().map((name) => ({ name, description: options.tags?.[name] ?? name })),
      paths,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: "A session's access token (POST /auth/sessions/{id}/token)" },
          apiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Authorization: ApiKey <key>` (POST /me/api-keys)' },
          pending: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: '`Authorization: Pending <pollToken>`: the device that started a login waiting for approval',
          },
        },
      },
    },
    { allowEmptySchema: { custom: true } },
  );
  // Optional parameters say so (zod-openapi leaves `required: false` out, its default).
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      const parameters = (operation as { parameters?: { required?: boolean }[] }).parameters ?? [];
      for (const parameter of parameters) parameter.required ??= false;
    }
  }
  return document;
}
