/**
 * The permanent session of this browser: id and session password in local storage under the keys
 * seed 000 names. The user's password is never stored; the session password never travels again
 * after login, only an HMAC of the server's nonce (POST /auth/sessions/:id/token).
 */
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

/** hex(HMAC-SHA256(sessionPassword, nonce)) with WebCrypto (only in secure contexts: HTTPS or localhost). */
export async function proofFor(sessionPassword: string, nonce: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(sessionPassword), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(nonce)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
