import { randomBytes } from 'node:crypto';
import { TestSystem, api, startTestSystem } from '../support/system';
import { bearer, createUser, login } from './support';

const unknownToken = () => randomBytes(32).toString('base64url');

describe('unknown access tokens and API keys, per client address', () => {
  let system: TestSystem;
  beforeAll(async () => (system = await startTestSystem({ CREDENTIAL_GUESS_LIMIT: '3', CREDENTIAL_GUESS_WINDOW_MS: '3000' })));
  afterAll(() => system?.stop());

  it('answers 429 with Retry-After past the limit, still lets a valid token through, and forgets after the window', async () => {
    await createUser(system, { username: 'guesser' });
    const { body } = await login(system, 'guesser');

    for (let i = 0; i < 2; i++)
      expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(unknownToken()) })).status).toBe(401);
    expect((await api(system, 'GET', '/api/v1/me/sessions', { headers: { authorization: `ApiKey ${unknownToken()}` } })).status).toBe(401);

    const limited = await api(system, 'GET', '/api/v1/me/sessions', { headers: bearer(unknownToken()) });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const check = await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(unknownToken()) });
    expect(check.status).toBe(429);
    expect(check.headers.get('retry-after')).not.toBeNull();

    // Only failures are counted: the owner of a real token is not locked out by someone else's guesses.
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(body.accessToken) })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 3100));
    expect((await api(system, 'GET', '/api/v1/auth/check', { headers: bearer(unknownToken()) })).status).toBe(401);
  });

  it('does not count a missing Authorization header as a guess', async () => {
    for (let i = 0; i < 5; i++) expect((await api(system, 'GET', '/api/v1/me/sessions')).status).toBe(401);
  });
});
