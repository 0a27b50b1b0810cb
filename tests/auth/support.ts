import { createHmac } from 'node:crypto';
import { NatsClient } from '@gatehouse/platform';
import { DirectorySubjects, AuthSubjects } from '@gatehouse/contracts';
import { api, TestSystem } from '../support/system';

export const DEVICE = { name: 'Test laptop', platform: 'linux' };
export const GOOD_PASSWORD = 'correct battery horse staple 42';

/** Users come from `directory` and passwords from `auth`, as admin user creation does it. */
export async function createUser(
  system: TestSystem,
  { username, password = GOOD_PASSWORD, admin = false, email }: { username: string; password?: string; admin?: boolean; email?: string },
) {
  const nats = system.gateway.get(NatsClient, { strict: false });
  const { user } = await nats.send(DirectorySubjects.userCreate, { domain: 'example.com', username, admin, ...(email ? { email } : {}) });
  await nats.send(AuthSubjects.passwordSet, { userId: user.id, password });
  return user;
}

export function login(
  system: TestSystem,
  username: string,
  password = GOOD_PASSWORD,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return api(system, 'POST', '/api/v1/auth/login', { body: { username, password, device: DEVICE, ...extra }, headers });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const proofFor = (sessionPassword: string, nonce: string) => createHmac('sha256', sessionPassword).update(nonce).digest('hex');

/** Challenge-response as a client does it: the session password never leaves the device. */
export async function mintToken(system: TestSystem, session: { id: string; password: string }) {
  const challenge = await api(system, 'POST', `/api/v1/auth/sessions/${session.id}/challenge`);
  if (challenge.status !== 200) return challenge;
  return api(system, 'POST', `/api/v1/auth/sessions/${session.id}/token`, {
    body: { nonce: challenge.body.nonce, proof: proofFor(session.password, challenge.body.nonce) },
  });
}
