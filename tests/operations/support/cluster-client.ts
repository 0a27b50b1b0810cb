import type { NatsClient } from '@gatehouse/platform';
import { DirectorySubjects, AuthSubjects } from '@gatehouse/contracts';
import { api } from '../../support/system';

export const PASSWORD = 'correct battery horse staple 42';
const DEVICE = { name: 'Cluster laptop', platform: 'linux' };

/** A user made as admin user creation makes one: the profile in `directory`, the password in `auth`. */
export async function createUser(nats: NatsClient, username: string, extra: { email?: string } = {}) {
  const { user } = await nats.send(DirectorySubjects.userCreate, { domain: 'example.com', username, admin: false, ...extra });
  await nats.send(AuthSubjects.passwordSet, { userId: user.id, password: PASSWORD });
  return user;
}

/** A password login through one gateway of the cluster. */
export function login(gatewayUrl: string, username: string, device = DEVICE) {
  return api({ url: gatewayUrl }, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD, device } });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
