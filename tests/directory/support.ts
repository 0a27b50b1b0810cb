import { api, TestSystem } from '../support/system';
import { bearer, createUser, GOOD_PASSWORD, login } from '../auth/support';

export { bearer, GOOD_PASSWORD };

/** An administrator of the installation's default domain (example.com in tests) and their access token. */
export async function adminToken(system: TestSystem, username = 'root'): Promise<string> {
  await createUser(system, { username, admin: true });
  const session = await login(system, username);
  if (session.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(session.body)}`);
  return session.body.accessToken;
}

/** Admin calls with the admin's token; fails the test on an unexpected status. */
export function adminApi(system: TestSystem, token: string) {
  return async (method: string, path: string, body?: unknown, expected?: number) => {
    const response = await api(system, method, `/api/v1${path}`, { body, headers: bearer(token) });
    if (expected !== undefined && response.status !== expected) {
      throw new Error(`${method} ${path}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response;
  };
}

/** Logs a user in (password GOOD_PASSWORD) and returns the access token. */
export async function tokenFor(system: TestSystem, username: string): Promise<string> {
  const session = await login(system, username);
  if (session.status !== 200) throw new Error(`login of ${username} failed: ${JSON.stringify(session.body)}`);
  return session.body.accessToken;
}

export const me = (system: TestSystem, token: string, method: string, path: string, body?: unknown) =>
  api(system, method, `/api/v1/me${path}`, { body, headers: bearer(token) });
