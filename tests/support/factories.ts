import { OperatorSubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import type { TestSystem } from './system';
import { expectCall } from './typed-api';

export const FACTORY_PASSWORD = 'correct battery horse staple 42';
export const FACTORY_DEVICE = { name: 'Test laptop', platform: 'linux' };

let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}${Math.random().toString(36).slice(2, 6)}`;

/**
 * Test data made the way a client makes it, through the public API: the first administrator as the
 * operator makes one (`npm run admin -- create-admin`), everything else by that administrator over
 * HTTP. `const make = factory(system); const alice = await make.user({ email: 'alice@example.com' })`.
 */
type UserChange = { username?: string; password?: string; email?: string; admin?: boolean; displayName?: string };

export function factory(system: TestSystem) {
  let adminToken: Promise<string> | undefined;

  const signIn = async (username: string, password = FACTORY_PASSWORD) => {
    const session = await expectCall(200, system, 'POST /auth/login', { body: { username, password, device: FACTORY_DEVICE } });
    if (session.status !== 'active') throw new Error(`${username} waits for approval: sign in with two-factor off`);
    return session;
  };

  /** The installation administrator every factory call acts as (made once per system). */
  const admin = (): Promise<string> =>
    (adminToken ??= (async () => {
      const username = unique('admin');
      await system.gateway
        .get(NatsClient, { strict: false })
        .send(OperatorSubjects.createAdmin, { operator: 'operator:test-factory', username, password: FACTORY_PASSWORD });
      return (await signIn(username)).accessToken;
    })());

  /** A user of example.com with FACTORY_PASSWORD unless told otherwise; `change` is POST /admin/users's body. */
  const user = async (change: UserChange = {}) => {
    const token = await admin();
    const body = { username: unique('user'), password: FACTORY_PASSWORD, ...change };
    const made = await expectCall(201, system, 'POST /admin/users', { body, headers: { authorization: `Bearer ${token}` } });
    return { ...made, password: body.password };
  };

  return {
    admin,
    user,
    /** A user and a signed-in session of theirs (two-factor off). */
    async signedIn(change: UserChange = {}) {
      const made = await user(change);
      return { user: made, login: await signIn(made.username, made.password) };
    },
    signIn,
  };
}
