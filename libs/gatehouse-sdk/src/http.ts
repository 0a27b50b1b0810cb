/** Plain JSON over HTTP against the API host; every failure is a GatehouseError with the API's code. */

/** Seed 002's errno: 1 = not logged in (a check found no login), 2 = logged out (ended elsewhere or expired). */
export type Errno = 1 | 2;

export class GatehouseError extends Error {
  constructor(
    /** The API's error code (`unauthenticated`, `rejected`, ...) or the library's own (`network`, `cancelled`, `popup_blocked`, `not_logged_in`). */
    readonly code: string,
    message: string,
    readonly status = 0,
    readonly errno?: Errno,
  ) {
    super(message);
    this.name = 'GatehouseError';
  }
}

/** True when the answer says the session itself is gone (not a network or server trouble, not a throttle). */
export const isSessionGone = (error: unknown): boolean =>
  error instanceof GatehouseError && error.status >= 400 && error.status < 500 && error.status !== 429;

export interface HttpAnswer<T> {
  body: T;
  headers: Headers;
}

export async function requestJson<T>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; authorization?: string; keepalive?: boolean } = {},
): Promise<HttpAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      cache: 'no-store',
      credentials: 'omit',
      keepalive: options.keepalive,
    });
  } catch {
    // A CORS refusal (an unregistered origin) looks the same to a page as no answer at all.
    throw new GatehouseError('network', 'No answer from the Gatehouse API (offline, or this origin is not registered)');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return { body: body as T, headers: response.headers };
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  throw new GatehouseError(error?.code ?? 'internal_error', error?.message ?? response.statusText, response.status);
}

/** hex(HMAC-SHA256(sessionPassword, nonce)): the proof that mints an access token (WebCrypto; browsers need a secure context). */
export async function proofFor(sessionPassword: string, nonce: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(sessionPassword), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(nonce)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
