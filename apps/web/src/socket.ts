import type { ClientMessage, ServerMessage } from '@gatehouse/contracts';
import { SERVER_MESSAGE_TYPES, WS_PATH, WsCloseCodes } from '@gatehouse/contracts/src/api/protocol';
import { isSessionGone, type Api } from './api';

export type { ServerMessage };
/** What the signed-in tab hears besides the socket's own `ready` and `session.revoked`. */
export type PushMessage = Exclude<ServerMessage, { type: 'ready' | 'session.revoked' }>;
/** A fresh token is sent this long before the socket's one ends. */
const RENEW_BEFORE_MS = 20_000;

const socketUrl = () => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${WS_PATH}`;

const knownTypes: ReadonlySet<string> = new Set(SERVER_MESSAGE_TYPES);
/** A message of the protocol's ServerMessage types (the server is the contract's other side); others are ignored. */
const isServerMessage = (value: unknown): value is ServerMessage =>
  typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string' && knownTypes.has(value.type);

/** Opens `/api/v1/ws` and sends `first` as the first message; the caller handles everything else. */
export function openSocket(
  first: () => Promise<ClientMessage>,
  onMessage: (message: ServerMessage, send: (message: ClientMessage) => void) => void,
  onClose: (code: number) => void,
): () => void {
  let closedByUs = false;
  const ws = new WebSocket(socketUrl());
  ws.addEventListener('open', () => {
    first().then(
      (message) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(message)),
      () => ws.close(),
    );
  });
  const send = (message: ClientMessage) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(message));
  ws.addEventListener('message', (event) => {
    let message: unknown;
    try {
      message = JSON.parse(String(event.data));
    } catch {
      return; // not JSON: ignore
    }
    if (isServerMessage(message)) onMessage(message, send);
  });
  ws.addEventListener('close', (event) => {
    if (!closedByUs) onClose(event.code);
  });
  return () => {
    closedByUs = true;
    ws.close();
  };
}

/**
 * The signed-in tab's live line: authenticates with an access token, reconnects with backoff, and
 * reports `session.revoked` (or close code 4001) as the end of this device's session.
 */
export class SessionSocket {
  private close?: () => void;
  private retryTimer?: number;
  private renewTimer?: number;
  private attempts = 0;

  constructor(
    private readonly api: Api,
    private readonly handlers: {
      message: (message: PushMessage) => void;
      revoked: () => void;
      online: (online: boolean) => void;
    },
  ) {}

  start(): void {
    this.stop();
    this.close = openSocket(
      () => this.api.accessToken().then((accessToken) => ({ type: 'auth', accessToken })),
      (message, send) => this.onMessage(message, send),
      (code) => this.onClose(code),
    );
  }

  stop(): void {
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.renewTimer);
    this.close?.();
    this.close = undefined;
  }

  private onMessage(message: ServerMessage, send: (message: ClientMessage) => void): void {
    if (message.type === 'ready') {
      // Pushes missed while offline are fetched again by whoever listens to `online`.
      if (this.attempts > 0) this.handlers.online(true);
      this.attempts = 0;
      if (typeof message.expiresInMs === 'number') this.renewBefore(message.expiresInMs, send);
    } else if (message.type === 'session.revoked') {
      this.stop();
      this.handlers.revoked();
    } else this.handlers.message(message);
  }

  /**
   * The socket lives as long as its access token: shortly before that ends, the same socket is
   * authenticated again with a fresh token (the server answers `ready` with the new lifetime).
   * A session that has ended meanwhile signs the tab out through the Api.
   */
  private renewBefore(expiresInMs: number, send: (message: ClientMessage) => void): void {
    window.clearTimeout(this.renewTimer);
    this.renewTimer = window.setTimeout(
      () => {
        // A fresh token whatever the Api holds: by this tab's clock the old one may still look valid.
        this.api.forgetToken();
        this.api.accessToken().then(
          (accessToken) => send({ type: 'auth', accessToken }),
          () => undefined, // no token now: the server closes the socket at the end, and reconnecting tries again
        );
      },
      Math.max(0, expiresInMs - RENEW_BEFORE_MS),
    );
  }

  private onClose(code: number): void {
    this.close = undefined;
    window.clearTimeout(this.renewTimer);
    if (code === WsCloseCodes.sessionRevoked) return this.handlers.revoked();
    if (code === WsCloseCodes.unauthenticated || code === WsCloseCodes.tokenExpired) this.api.forgetToken();
    this.attempts++;
    this.handlers.online(false);
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.attempts, 6));
    this.retryTimer = window.setTimeout(() => this.reconnect(), delay);
  }

  private reconnect(): void {
    // Check the session over HTTP first: a session revoked while offline ends here (the API signs out).
    this.api.accessToken().then(
      () => this.start(),
      (error: unknown) => {
        if (!isSessionGone(error)) this.onClose(0);
      },
    );
  }
}
