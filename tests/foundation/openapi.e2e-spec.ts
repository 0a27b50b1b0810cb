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
});
