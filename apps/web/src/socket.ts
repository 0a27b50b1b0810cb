import { API_BASE, isSessionGone, type Api } from './api';

export interface ServerMessage {
  type: string;
  [key: string]: unknown;
}

const REVOKED = 4001;
const UNAUTHENTICATED = 4401;

const socketUrl = () => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${API_BASE}/ws`;

/** Opens `/api/v1/ws` and sends `first` as the first message; the caller handles everything else. */
export function openSocket(first: () => Promise<object>, onMessage: (message: ServerMessage) => void, onClose: (code: number) => void): () => void {
  let closedByUs = false;
  const ws = new WebSocket(socketUrl());
  ws.addEventListener('open', () => {
    first().then(
      (message) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(message)),
      () => ws.close(),
    );
  });
  ws.addEventListener('message', (event) => {
    try {
      onMessage(JSON.parse(String(event.data)) as ServerMessage);
    } catch {
      // not JSON: ignore
    }
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
  private attempts = 0;

  constructor(
    private readonly api: Api,
    private readonly handlers: {
      message: (message: ServerMessage) => void;
      revoked: () => void;
      online: (online: boolean) => void;
    },
  ) {}

  start(): void {
    this.stop();
    this.close = openSocket(
      () => this.api.accessToken().then((accessToken) => ({ type: 'auth', accessToken })),
      (message) => this.onMessage(message),
      (code) => this.onClose(code),
    );
  }

  stop(): void {
    window.clearTimeout(this.retryTimer);
    this.close?.();
    this.close = undefined;
  }

  private onMessage(message: ServerMessage): void {
    if (message.type === 'ready') {
      // Pushes missed while offline are fetched again by whoever listens to `online`.
      if (this.attempts > 0) this.handlers.online(true);
      this.attempts = 0;
    } else if (message.type === 'session.revoked') {
      this.stop();
      this.handlers.revoked();
    } else this.handlers.message(message);
  }

  private onClose(code: number): void {
    this.close = undefined;
    if (code === REVOKED) return this.handlers.revoked();
    if (code === UNAUTHENTICATED) this.api.forgetToken();
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
