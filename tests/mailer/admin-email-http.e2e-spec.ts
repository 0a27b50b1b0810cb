import { api, startTestSystem, TestSystem } from '../support/system';

describe('admin email config over HTTP', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  it('refuses the email config endpoints without credentials', async () => {
    expect((await api(system, 'GET', '/api/v1/admin/config/email')).status).toBe(401);
    expect((await api(system, 'POST', '/api/v1/admin/config/email/test', { body: { to: 'a@example.test' } })).status).toBe(401);
  });

  it.todo('lets an admin read, write (password write-only) and test the SMTP config; unknown fields -> 400 unknown_field');
});
