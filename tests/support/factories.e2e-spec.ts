import { factory } from './factories';
import { TestSystem, startTestSystem } from './system';
import { call } from './typed-api';

/** The test helpers themselves: data made through the public API, replies typed by the route declarations. */
describe('test factories and the typed client', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  it('makes a user through the admin API who then signs in with the factory password', async () => {
    const make = factory(system);
    const { user, login } = await make.signedIn({ email: 'frank@example.com' });
    expect(user).toMatchObject({ domain: 'example.com', email: 'frank@example.com', admin: false });
    expect(login.user.id).toBe(user.id);
    const me = await call(system, 'GET /me', { headers: { authorization: `Bearer ${login.accessToken}` } });
    expect(me.ok && me.body.username).toBe(user.username);
  });

  it('answers a refused call in the one error shape', async () => {
    const refused = await call(system, 'POST /auth/login', {
      body: { username: 'nobody', password: 'wrong', device: { name: 'x', platform: 'y' } },
    });
    expect(refused.status).toBe(401);
    expect(!refused.ok && refused.body.error.code).toBe('invalid_credentials');
  });
});
