import * as opaque from '@serenity-kit/opaque';
import { ApiError, type Api, type Reply } from './api';

/** What the second message adds, as in POST /auth/login. */
export interface LoginFinish {
  device: { name: string; platform: string };
  application: 'refreshable' | 'longLogin';
}

/**
 * OPAQUE (RFC 9807) login: the password is stretched and used on this device only; the server gets
 * two protocol messages and keeps a record that is no hash of it. Returns null when the password does
 * not open the account's record (wrong password, unknown user, or no record yet): the protocol tells
 * the client, never the network. Loaded on demand (its WebAssembly is large).
 */
export async function opaqueLogin(
  api: Api,
  username: string,
  password: string,
  finishBody: LoginFinish,
): Promise<Reply<'POST /auth/opaque/login/finish'> | null> {
  await opaque.ready;
  const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password });
  const start = await api
    .call('POST /auth/opaque/login/start', { auth: false, body: { username, startLoginRequest } })
    // A Netlogon-only installation has no PBX passwords: the plain route is the way.
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'auth_type_disabled') return null;
      throw error;
    });
  if (!start) return null;
  const finish = opaque.client.finishLogin({
    clientLoginState,
    loginResponse: start.loginResponse,
    password,
    keyStretching: { 'argon2id-custom': start.keyStretching },
  });
  if (!finish) return null;
  return api.call('POST /auth/opaque/login/finish', {
    auth: false,
    body: { loginId: start.loginId, finishLoginRequest: finish.finishLoginRequest, ...finishBody },
  });
}
