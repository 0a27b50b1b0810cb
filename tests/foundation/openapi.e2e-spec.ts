import { api, startTestSystem, TestSystem } from '../support/system';

describe('OpenAPI description', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system.stop());

  it('describes the public routes, the plain Fastify check route included', async () => {
    const response = await api(system, 'GET', '/api/docs-json');
    expect(response.status).toBe(200);
    const paths = Object.keys(response.body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/check', '/api/v1/me/sessions', '/health/ready']));
  });

  it('lists every route of the public API, and each JSON body with the schema it is validated against', async () => {
    const { paths } = (await api(system, 'GET', '/api/docs-json')).body as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    const bodies = [
      ['post', '/api/v1/auth/login'],
      ['post', '/api/v1/auth/sessions/{id}/token'],
      ['post', '/api/v1/auth/password-reset'],
      ['post', '/api/v1/auth/password-reset/{token}'],
      ['post', '/api/v1/me/approvals/{pendingId}'],
      ['post', '/api/v1/approvals/email/{token}'],
      ['post', '/api/v1/me/api-keys'],
      ['put', '/api/v1/me/homescreen'],
      ['post', '/api/v1/me/apps/{appId}/login'],
      ['post', '/api/v1/admin/users'],
      ['patch', '/api/v1/admin/apps/{id}'],
      ['post', '/api/v1/admin/templates'],
      ['put', '/api/v1/admin/config/authentication'],
      ['put', '/api/v1/admin/config/email'],
      ['post', '/api/v1/admin/config/email/test'],
      ['put', '/api/v1/admin/config/myapps'],
      ['post', '/api/v1/admin/external-users'],
    ];
    expect(bodies.filter(([method, path]) => !paths[path]?.[method]?.requestBody)).toEqual([]);
    // query parameters, from the zod object that validates them
    const queryNames = (method: string, path: string) =>
      ((paths[path]?.[method] as { parameters?: { name: string; in: string }[] } | undefined)?.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => p.name);
    expect(queryNames('get', '/api/v1/admin/users')).toEqual(expect.arrayContaining(['offset', 'limit', 'q']));
    expect(queryNames('get', '/api/v1/admin/apps')).toEqual(expect.arrayContaining(['offset', 'limit', 'domain']));
    expect(queryNames('patch', '/api/v1/admin/templates/{id}')).toEqual(['domain']);
    expect(queryNames('get', '/api/v1/admin/config/myapps')).toEqual(['domain']);
    const startParameters = (paths['/api/v1/auth/oauth2/start'].get as { parameters?: unknown[] }).parameters;
    expect(startParameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'returnTo', in: 'query', required: true }),
        expect.objectContaining({
          name: 'application',
          in: 'query',
          required: false,
          schema: expect.objectContaining({ enum: ['refreshable', 'longLogin'] }),
        }),
      ]),
    );
    const others = [
      ['get', '/api/v1/auth/methods'],
      ['get', '/api/v1/auth/login/pending/{id}'],
      ['delete', '/api/v1/auth/login/pending/{id}'],
      ['get', '/api/v1/me'],
      ['get', '/api/v1/me/apps'],
      ['get', '/api/v1/me/api-providers/{api}'],
      ['get', '/api/v1/me/client-config'],
      ['get', '/api/v1/me/approvals'],
      ['delete', '/api/v1/me/sessions/{id}'],
      ['get', '/api/v1/admin/users/{id}/sessions'],
      ['get', '/api/v1/auth/oauth2/start'],
    ];
    expect(others.filter(([method, path]) => !paths[path]?.[method])).toEqual([]);
  });

  it('gives every /api/v1 operation a summary, a reply, error replies and its security, from the route declarations', async () => {
    const document = (await api(system, 'GET', '/api/docs-json')).body as {
      paths: Record<string, Record<string, { summary?: string; security?: unknown[]; responses?: Record<string, { content?: unknown }> }>>;
      components?: { securitySchemes?: Record<string, unknown> };
    };
    const lacking = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ route: `${method} ${path}`, operation })))
      .filter(({ operation }) => {
        const statuses = Object.keys(operation.responses ?? {});
        const success = statuses.find((status) => /^[23]/.test(status));
        const answers = success === '302' || (success !== undefined && operation.responses?.[success]?.content !== undefined);
        return !operation.summary || !answers || !statuses.some((status) => /^[45]/.test(status)) || !operation.security;
      })
      .map(({ route }) => route);
    expect(lacking).toEqual([]);
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(expect.arrayContaining(['bearer', 'apiKey', 'pending']));
  });
});
