import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { OutboundPolicy } from './outbound-policy';

export interface GuardedFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams | Uint8Array | ArrayBuffer | null;
  signal?: AbortSignal | null;
}

/** Discovery documents, JWKS and token answers are small; a larger body is not read into memory. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A fetch for admin-configured URLs: the connection goes only to addresses the policy allows (checked
 * on the resolved addresses the socket uses), redirects are never followed, and the body is capped.
 * Fits openid-client's customFetch.
 */
export function guardedFetch(policy: OutboundPolicy) {
  return async (input: string | URL, init: GuardedFetchInit = {}): Promise<Response> => {
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported protocol ${url.protocol}`);
    // An address literal is never looked up, so it is checked here; names are checked in `lookup`.
    await policy.resolve(url.hostname);
    const body = bodyOf(init.body);
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: init.method ?? 'GET',
      headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      lookup: policy.lookup as never,
      // No pooled sockets: each request resolves and checks its address again, and leaves no connection open.
      agent: false,
      signal: init.signal ?? undefined,
    });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', (error) => {
        // A peer that is no HTTP server leaves the socket open after the parse error: close it here.
        request.socket?.destroy();
        request.destroy();
        reject(error);
      });
      request.end(body);
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        response.destroy();
        throw new Error(`response body larger than ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
    }
    const status = response.statusCode ?? 502;
    const empty = status === 204 || status === 304 || (status >= 100 && status < 200);
    return new Response(empty ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage, headers });
  };
}

function bodyOf(body: GuardedFetchInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
