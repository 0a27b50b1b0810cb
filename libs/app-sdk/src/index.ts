/**
 * The library for apps running inside the Gatehouse web client (README "Apps inside the client").
 * Served by the gateway at /sdk/app.js as one ES module:
 *
 *   import { connect, login } from 'https://gatehouse.example.com/sdk/app.js';
 *   const { user, colorScheme } = await connect();
 *
 * It speaks the window-message protocol of libs/contracts (app-runtime) with the client that
 * framed the app, and accepts messages only from that window and the client's origin.
 */
import {
  APP_PROTOCOL,
  CallAllResult,
  ClientToApp,
  ConnectResult,
  LoginResult,
  type AppErrorCode,
  type AppToClient,
  type Presence,
} from '@gatehouse/contracts/src/app-runtime/app-protocol';

export type { ConnectResult, LoginResult, Presence, AppErrorCode };

/** Every failure of this library: `code` is one of not_connected, no_provider, not_permitted, timeout, cancelled, ... */
export class AppRuntimeError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppRuntimeError';
  }
}

export interface ConnectOptions {
  /** The client's origin; by default the origin this library was loaded from (the gateway). */
  clientOrigin?: string;
  /** How long to wait for the client's answer (ms, default 10000). */
  timeoutMs?: number;
}

export interface CallOptions {
  /** 'ask' (default): the user's standard app for the API, or the user chooses; 'all': every provider; or one app's id. */
  target?: 'ask' | 'all' | (string & {});
  /** How long to wait for the answer (ms; default 15000, 'ask' 120000 since the user may choose). */
  timeoutMs?: number;
}

export type ProviderHandler = (message: unknown, from: string) => unknown;
type Events = { colorScheme: 'light' | 'dark'; language: string; presence: Presence };
type Body = AppToClient extends infer M ? (M extends AppToClient ? Omit<M, 'gatehouse' | 'id'> : never) : never;

interface Waiting {
  resolve(value: unknown): void;
  reject(error: AppRuntimeError): void;
  timer: ReturnType<typeof setTimeout>;
}

const moduleOrigin = (): string | undefined => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return undefined;
  }
};

let clientOrigin: string | undefined;
let connected: ConnectResult | undefined;
let connecting: Promise<ConnectResult> | undefined;
let listening = false;
let counter = 0;
const waiting = new Map<string, Waiting>();
const handlers: { [K in keyof Events]: Set<(value: Events[K]) => void> } = {
  colorScheme: new Set(),
  language: new Set(),
  presence: new Set(),
};
const providers = new Map<string, ProviderHandler>();

/** Connects to the client; resolves with the user, the color scheme and the language. */
export function connect(options: ConnectOptions = {}): Promise<ConnectResult> {
  if (connected) return Promise.resolve(connected);
  if (connecting) return connecting;
  if (window.parent === window)
    return Promise.reject(new AppRuntimeError('not_connected', 'The app is not running inside the Gatehouse client'));
  clientOrigin = options.clientOrigin ?? moduleOrigin();
  if (!clientOrigin || clientOrigin === 'null')
    return Promise.reject(new AppRuntimeError('not_connected', 'The client origin is unknown: pass connect({ clientOrigin })'));
  listen();
  connecting = request({ type: 'connect' }, options.timeoutMs ?? 10_000).then(
    (result) => {
      connected = ConnectResult.parse(result);
      return connected;
    },
    (error: unknown) => {
      connecting = undefined;
      throw error;
    },
  );
  return connecting;
}

/**
 * Logs the user into the app: the client asks Gatehouse for a digest over `challenge` (which the
 * app's server issued); the app's server checks it with verifyAppLoginDigest of @gatehouse/app-login.
 */
export async function login(challenge: string): Promise<LoginResult> {
  await requireConnection();
  return LoginResult.parse(await request({ type: 'login', challenge }, 15_000));
}

/** Follows a change of the color scheme, the language or the user's presence; returns the unsubscribe. */
export function on<K extends keyof Events>(event: K, handler: (value: Events[K]) => void): () => void {
  handlers[event].add(handler);
  return () => handlers[event].delete(handler);
}

/** Answers calls of other apps to `api` (the app must be registered as its provider). */
export async function provide(api: string, handler: ProviderHandler): Promise<void> {
  await requireConnection();
  providers.set(api, handler);
  await request({ type: 'provide', api }, 10_000);
}

/** Calls a client API provided by another app. With target 'all' it resolves with `[{ app, result?, error? }]`. */
export async function call(api: string, message?: unknown, options: CallOptions = {}): Promise<unknown> {
  await requireConnection();
  const target = options.target ?? 'ask';
  const result = await request({ type: 'call', api, message, target }, options.timeoutMs ?? (target === 'ask' ? 120_000 : 15_000));
  return target === 'all' ? CallAllResult.parse(result) : result;
}

/** Puts an item of this app on the user's home screen (the seed's attach icon). */
export async function attach(item: { label: string; query?: string; fragment?: string }): Promise<void> {
  await requireConnection();
  await request({ type: 'attach', label: item.label, query: item.query, fragment: item.fragment }, 10_000);
}

/** Shows a presence on the tiles of one item of this app (`query` as attached) or of the app itself; null clears it. */
export async function setItemPresence(status: Presence['status'] | null, item: { query?: string } = {}): Promise<void> {
  await requireConnection();
  await request({ type: 'itemPresence', status, query: item.query }, 10_000);
}

/** Shows `count` on the app's tiles (0 clears it). */
export async function setBadge(count: number): Promise<void> {
  await requireConnection();
  await request({ type: 'badge', count }, 10_000);
}

async function requireConnection(): Promise<void> {
  if (connected) return;
  if (connecting) {
    await connecting;
    return;
  }
  throw new AppRuntimeError('not_connected', 'Call connect() first');
}

function send(message: AppToClient): void {
  // Only the client's origin may read what the app says; the browser enforces it.
  window.parent.postMessage(message, clientOrigin!);
}

function request(body: Body, timeoutMs: number): Promise<unknown> {
  const id = `${Date.now().toString(36)}-${++counter}`;
  const message = { ...body, gatehouse: APP_PROTOCOL, id } as AppToClient;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new AppRuntimeError('timeout', `No answer from the client within ${timeoutMs} ms`));
    }, timeoutMs);
    waiting.set(id, { resolve, reject, timer });
    send(message);
  });
}

function listen(): void {
  if (listening) return;
  listening = true;
  window.addEventListener('message', (event: MessageEvent) => {
    // Only the framing client speaks to us: its window and its origin.
    if (event.source !== window.parent || event.origin !== clientOrigin) return;
    const parsed = ClientToApp.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'reply': {
        const entry = waiting.get(message.id);
        if (!entry) return;
        waiting.delete(message.id);
        clearTimeout(entry.timer);
        if (message.error) entry.reject(new AppRuntimeError(message.error.code, message.error.message));
        else entry.resolve(message.result);
        return;
      }
      case 'colorScheme':
        if (connected) connected = { ...connected, colorScheme: message.scheme };
        return emit('colorScheme', message.scheme);
      case 'language':
        if (connected) connected = { ...connected, language: message.language };
        return emit('language', message.language);
      case 'presence':
        if (connected) connected = { ...connected, presence: message.presence };
        return emit('presence', message.presence);
      case 'request':
        return void answer(message.id, message.api, message.message, message.from);
    }
  });
}

function emit<K extends keyof Events>(event: K, value: Events[K]): void {
  for (const handler of handlers[event]) {
    try {
      handler(value);
    } catch (error) {
      console.error(error);
    }
  }
}

async function answer(id: string, api: string, message: unknown, from: string): Promise<void> {
  const handler = providers.get(api);
  try {
    if (!handler) throw new Error(`This app does not provide ${api}`);
    send({ gatehouse: APP_PROTOCOL, type: 'result', id, result: await handler(message, from) });
  } catch (error) {
    send({ gatehouse: APP_PROTOCOL, type: 'result', id, error: (error instanceof Error ? error.message : String(error)).slice(0, 500) });
  }
}
