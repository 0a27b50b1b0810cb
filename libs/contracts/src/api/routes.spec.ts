import { z } from 'zod';
import { apiRoutes, openApiDocument, routePath, splitRouteKey, type RouteKey, type RouteSpec } from './index';

const declared = Object.entries(apiRoutes) as [RouteKey, RouteSpec][];

describe('the public route declarations', () => {
  it('declare a schema for every path parameter, and no parameter the path lacks', () => {
    const mismatched = declared.filter(([key, spec]) => {
      const inPath = [...splitRouteKey(key)[1].matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
      return JSON.stringify(inPath) !== JSON.stringify(Object.keys(spec.params?.shape ?? {}).sort());
    });
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('give every route a one-line summary and a reply schema', () => {
    expect(declared.filter(([, spec]) => !spec.summary.trim() || spec.summary.includes('\n')).map(([key]) => key)).toEqual([]);
    expect(declared.filter(([, spec]) => !(spec.reply instanceof z.ZodType)).map(([key]) => key)).toEqual([]);
  });
});

describe('the OpenAPI document made from them', () => {
  const document = openApiDocument(apiRoutes);
  const operations = Object.values(document.paths ?? {}).flatMap((item) => Object.values(item as Record<string, Record<string, unknown>>));

  it('has one operation per declared route, each with a reply and its error replies', () => {
    expect(operations).toHaveLength(declared.length);
    const me = document.paths?.['/api/v1/me/homescreen']?.put;
    expect(me?.responses?.['200']).toMatchObject({
      content: { 'application/json': { schema: expect.objectContaining({ type: 'object' }) } },
    });
    expect(me?.responses?.['422']).toMatchObject({ description: expect.stringContaining('homescreen_too_large') });
    expect(me?.responses?.['401']).toMatchObject({ description: expect.stringContaining('unauthenticated') });
    expect(me?.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });

  it('names the Bearer, ApiKey and Pending schemes', () => {
    expect(Object.keys(document.components?.securitySchemes ?? {}).sort()).toEqual(['apiKey', 'bearer', 'pending']);
    expect(document.paths?.['/api/v1/auth/login/pending/{id}']?.get?.security).toEqual([{ pending: [] }]);
  });
});

describe('routePath', () => {
  it('fills and encodes the parameters', () => {
    expect(routePath('/me/api-providers/:api', { api: 'a/b c' })).toBe('/me/api-providers/a%2Fb%20c');
    expect(() => routePath('/me/sessions/:id', {})).toThrow('id');
  });
});
