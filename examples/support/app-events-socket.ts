import { createHmac } from 'node:crypto';
import { WebSocket } from 'ws';

/**
 * The app server's WebSocket to Gatehouse (apps with the `websocket` flag): authenticated by the
 * app id and a proof made with the shared secret (the secret itself never travels), it receives
 * the events of the app's users (`session.revoked`, `apps.changed`, `presence.changed`).
 * Reconnects after a second when the line drops.
 */
export class AppEventsSocket {
  onEvent: (event: Record<string, unknown>) => void = () => undefined;
  /** Resolves on the first `ready`. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private ws?: WebSocket;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(private readonly options: { gatehouseUrl: string; domain: string; appId: string; secret: string }) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  start(): void {
    const url = `${this.options.gatehouseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
    const ws = (this.ws = new WebSocket(url));
    ws.on('open', () => ws.send(JSON.stringify(appSocketAuth(this.options))));
    ws.on('message', (data) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        return;
      }
      if (message.type === 'ready') this.markReady();
      else this.onEvent(message);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (!this.stopped) this.retry = setTimeout(() => this.start(), 1000);
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.ws?.close();
  }
}

/** The first message of an app socket: `proof = hex(HMAC-SHA256(secret, "gatehouse-app-socket-v1\n" + domain + "\n" + appId + "\n" + timestamp))`. */
export function appSocketAuth(options: { domain: string; appId: string; secret: string }, now = Date.now()) {
  const timestamp = String(now);
  const proof = createHmac('sha256', options.secret)
    .update(['gatehouse-app-socket-v1', options.domain, options.appId, timestamp].join('\n'), 'utf8')
    .digest('hex');
  return { type: 'app', domain: options.domain, appId: options.appId, timestamp, proof };
}
