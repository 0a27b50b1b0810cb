/**
 * The permanent session of this browser: id and session password in local storage under the keys
 * seed 000 names. The user's password is never stored; the session password never travels again
 * after login, only an HMAC of the server's nonce, minted by the login library's SessionKeeper
 * (libs/gatehouse-sdk), the same code that keeps the sessions of web apps on other origins.
 */
import type { SessionSource } from '@gatehouse/gatehouse-sdk/src/session-keeper';

export interface SessionCredentials {
  id: string;
  password: string;
}

const ID_KEY = 'appclient-username';
const PASSWORD_KEY = 'appclient-password';

export function storedSession(): SessionCredentials | null {
  const id = localStorage.getItem(ID_KEY);
  const password = localStorage.getItem(PASSWORD_KEY);
  return id && password ? { id, password } : null;
}

export function storeSession(session: SessionCredentials): void {
  localStorage.setItem(ID_KEY, session.id);
  localStorage.setItem(PASSWORD_KEY, session.password);
}

export function forgetSession(): void {
  localStorage.removeItem(ID_KEY);
  localStorage.removeItem(PASSWORD_KEY);
}

/** True when a change of local storage in another tab signed this browser in or out. */
export const isSessionKey = (key: string | null): boolean => key === null || key === ID_KEY || key === PASSWORD_KEY;

/** The stored session as the login library's session keeper reads it (at every mint: another tab may have changed it). */
export const browserSession: SessionSource = {
  load() {
    const session = storedSession();
    return session && { sessionId: session.id, password: session.password };
  },
  forget: forgetSession,
};
