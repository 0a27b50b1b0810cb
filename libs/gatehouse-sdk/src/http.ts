/**
 * Plain JSON over HTTP against the API host; every failure is a GatehouseError with the API's code.
 * The one transport of the library and of the first-party web client (apps/web).
 */

/** Seed 002's errno: 1 = not logged in (a check found no login), 2 = logged out (ended elsewhere or expired). */
export type Errno = 1 | 2;

/** What the gateway's error shape `{ error: { code, message, details? } }` and its headers add to the code. */
export interface ErrorExtras {
  errno?: Errno;
  /** The `details` of the API's error (e.g. `{ field }` of a refused value). */
  details?: Record<string, unknown>;
  /** From `retry-after` on a throttled (429) or unavailable (503) answer. */
  retryAfterSeconds?: number;
}

export class GatehouseError extends Error {
  readonly errno?: Errno;
  readonly details?: Record<string, unknown>;
  readonly retryAfterSeconds?: number;

  constructor(
    /** The API's error code (`unauthenticated`, `rejected`, ...) or the library's own (`network`, `cancelled`, `popup_blocked`, `not_logged_in`). */
    readonly code: string,
    message: string,
    /** The HTTP status; 0 when no answer came (or the library's own error). */
    readonly status = 0,
    extras: Errno | ErrorExtras = {},
  ) {
    super(message);
    this.name = 'GatehouseError';
    const { errno, details, retryAfterSeconds } = typeof extras === 'number' ? { errno: extras } : extras;
    if (errno !== undefined) this.errno = errno;
    if (details !== undefined) this.details = details;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** True when the answer says the session itself is gone (not a network or server trouble, not a throttle). */
export const isSessionGone = (error: unknown): boolean =>
  error instanceof GatehouseError && error.status >= 400 && error.status < 500 && error.status !== 429;

export interface HttpAnswer<T> {
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  authorization?: string;
  headers?: Record<string, string>;
  keepalive?: boolean;
  /** `omit` (default) for the library on other origins; the API host's own pages may send theirs. */
  credentials?: RequestCredentials;
}

/** `base` is the API host's origin (`https://gatehouse.example.com`), or '' from a page on the API host itself. */
export async function requestJson<T>(base: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      cache: 'no-store',
      credentials: options.credentials ?? 'omit',
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
  const error = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new GatehouseError(error?.code ?? 'internal_error', error?.message ?? response.statusText, response.status, {
    details: error?.details,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

/** hex(HMAC-SHA256(sessionPassword, nonce)): the proof that mints an access token (WebCrypto; browsers need a secure context). */
export async function proofFor(sessionPassword: string, nonce: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(sessionPassword), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(nonce)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
