import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ClientMessage, WS_PATH, WsCloseCodes, type AppSocketMessage, type ServerMessage } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, LOGGER, Logger } from '@gatehouse/platform';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { upgradeClientAddress } from '../auth/client-address';
import { CredentialVerifier } from '../auth/credential-verifier.service';
import { GuessThrottle } from '../auth/guess-throttle';
import type { GatewayConfig } from '../config';

export { WS_PATH, WsCloseCodes } from '@gatehouse/contracts';
/** How long a shutting-down gateway waits for clients to answer its close frame. */
const SHUTDOWN_GRACE_MS = 500;
/** How often sockets are checked for an expired access token (against the Clock, so tests can move it). */
const EXPIRY_CHECK_MS = 1000;

/** Who a socket belongs to once its first message was accepted. */
export interface SocketOwner {
  userId?: string;
  sessionId?: string;
  /** Other keys a first-message handler files the socket under (e.g. `pending:<id>`). */
  keys?: string[];
  /** When the credential it authenticated with ends: the socket is closed then unless renewed. */
  expiresAtMs?: number;
}

/** Handles a first message other than `auth` (issue 5 adds `pending`); throw to refuse. */
export type FirstMessageHandler<T extends ClientMessage['type'] = ClientMessage['type']> = (
  message: Extract<ClientMessage, { type: T }>,
) => Promise<SocketOwner>;

/**
 * The WebSocket endpoint `GET /api/v1/ws` and the sockets of this gateway instance, filed by
 * user, session and other keys, so NATS events can be pushed to the right devices.
 */
@Injectable()
export class SocketHub implements OnModuleInit, BeforeApplicationShutdown {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  private readonly byKey = new Map<string, Set<WebSocket>>();
  private readonly firstMessageHandlers: { [T in ClientMessage['type']]?: FirstMessageHandler<T> } = {};
  /** Sockets authenticated with an access token, and when that token ends. */
  private readonly expiries = new Map<WebSocket, number>();
  /** Sockets per client address that have not authenticated yet (WS_UNAUTHENTICATED_PER_ADDRESS). */
  private readonly unauthenticated = new Map<string, number>();
  private expiryTimer?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: CredentialVerifier,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    private readonly guesses: GuessThrottle,
    private readonly clock: Clock,
  ) {
    this.registerFirstMessage('auth', async (message) => {
      const { principal, expiresAtMs } = await this.verifier.accessTokenUntil(message.accessToken);
      return { userId: principal.userId, sessionId: principal.sessionId, expiresAtMs };
    });
  }

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== WS_PATH) {
        socket.destroy();
        return;
      }
      const address = upgradeClientAddress(request, this.config.TRUST_PROXY);
      // Sockets cost memory until they authenticate (up to WS_AUTH_TIMEOUT_MS): one address gets only so many.
      if ((this.unauthenticated.get(address) ?? 0) >= this.config.WS_UNAUTHENTICATED_PER_ADDRESS) {
        socket.end('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 10\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, address));
    });
    this.expiryTimer = setInterval(() => this.closeExpired(), EXPIRY_CHECK_MS).unref();
  }

  registerFirstMessage<T extends ClientMessage['type']>(type: T, handler: FirstMessageHandler<T>): void {
    this.firstMessageHandlers[type] = handler as (typeof this.firstMessageHandlers)[T];
  }

  pushToUser(userId: string, message: ServerMessage): number {
    return this.push(`user:${userId}`, message);
  }

  pushToSession(sessionId: string, message: ServerMessage): number {
    return this.push(`session:${sessionId}`, message);
  }

  pushToKey(key: string, message: ServerMessage | AppSocketMessage): number {
    return this.push(key, message);
  }

  /** Whether this instance holds any socket filed under a key that starts with `prefix` (spares lookups for nobody). */
  holdsKeyStartingWith(prefix: string): boolean {
    for (const key of this.byKey.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  closeSession(sessionId: string, code: number, reason: string): void {
    for (const ws of [...(this.byKey.get(`session:${sessionId}`) ?? [])]) ws.close(code, reason);
  }

  /**
   * Before the HTTP server closes (it would otherwise wait for every upgraded socket): clients are
   * told 1001 "going away", so they reconnect to another gateway instead of taking it for a network
   * failure; whoever has not answered the close within a moment is cut off.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.expiryTimer);
    const sockets = [...this.wss.clients];
    const closed = sockets.map(
      (ws) => new Promise<void>((done) => (ws.readyState === WebSocket.CLOSED ? done() : ws.once('close', () => done()))),
    );
    for (const ws of sockets) ws.close(WsCloseCodes.goingAway, 'server restarting');
    await Promise.race([Promise.all(closed), new Promise((done) => setTimeout(done, SHUTDOWN_GRACE_MS).unref())]);
    for (const ws of sockets) ws.terminate();
    this.wss.close();
  }

  private push(key: string, message: ServerMessage | AppSocketMessage): number {
    const sockets = this.byKey.get(key);
    if (!sockets) return 0;
    const text = JSON.stringify(message);
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text);
    return sockets.size;
  }

  private accept(ws: WebSocket, address: string): void {
    let owned = false;
    let counted = true;
    this.unauthenticated.set(address, (this.unauthenticated.get(address) ?? 0) + 1);
    const uncount = () => {
      if (!counted) return;
      counted = false;
      const left = (this.unauthenticated.get(address) ?? 1) - 1;
      if (left > 0) this.unauthenticated.set(address, left);
      else this.unauthenticated.delete(address);
    };
    const timer = setTimeout(() => ws.close(WsCloseCodes.authTimeout, 'authentication timeout'), this.config.WS_AUTH_TIMEOUT_MS);
    ws.on('error', () => ws.terminate());
    ws.once('close', () => {
      clearTimeout(timer);
      uncount();
      this.expiries.delete(ws);
    });
    ws.once('message', (data) => {
      void (async () => {
        try {
          const message: unknown = JSON.parse(data.toString());
          const type = typeof message === 'object' && message !== null && 'type' in message ? message.type : undefined;
          if (typeof type !== 'string' || !Object.hasOwn(this.firstMessageHandlers, type))
            throw new AppError('unauthenticated', 'the first message must authenticate');
          // A refused access or poll token (or a malformed one) is a credential guess, as over HTTP (GuessThrottle).
          const owner = await this.guesses.counting(address, ['unauthenticated'], () => this.firstMessage(clientMessage(message)));
          if (ws.readyState !== WebSocket.OPEN) return;
          clearTimeout(timer);
          owned = true;
          uncount();
          this.file(ws, owner);
          if (owner.expiresAtMs !== undefined && owner.sessionId) this.keepRenewable(ws, address, owner.sessionId, owner.expiresAtMs);
          ws.send(
            JSON.stringify({
              type: 'ready',
              ...(owner.sessionId ? { sessionId: owner.sessionId } : {}),
              ...this.expiresIn(owner.expiresAtMs),
            }),
          );
        } catch (error) {
          clearTimeout(timer);
          const code = error instanceof AppError ? error.code : 'unauthenticated';
          const retryAfterSeconds = error instanceof AppError ? error.details?.retryAfterSeconds : undefined;
          if (ws.readyState === WebSocket.OPEN)
            ws.send(JSON.stringify({ type: 'error', code, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) }));
          // Redis or NATS down is not the client's fault: a normal "try again later" close.
          ws.close(
            code === 'service_unavailable' ? 1013 : code === 'rate_limited' ? WsCloseCodes.rateLimited : WsCloseCodes.unauthenticated,
            code,
          );
          if (!owned) this.logger.debug({ code }, 'websocket refused');
        }
      })();
    });
  }

  private firstMessage(message: ClientMessage): Promise<SocketOwner> {
    const refuse = (): never => {
      throw new AppError('unauthenticated', 'the first message must authenticate');
    };
    switch (message.type) {
      case 'auth':
        return (this.firstMessageHandlers.auth ?? refuse)(message);
      case 'pending':
        return (this.firstMessageHandlers.pending ?? refuse)(message);
      case 'app':
        return (this.firstMessageHandlers.app ?? refuse)(message);
    }
  }

  private async verifyAuth(message: ClientMessage) {
    if (message.type !== 'auth') throw new AppError('unauthenticated', 'accessToken missing');
    return this.verifier.accessTokenUntil(message.accessToken);
  }

  /** `expiresInMs` by the server's clock, so a client with a wrong clock still renews in time. */
  private expiresIn(expiresAtMs: number | undefined): { expiresInMs?: number } {
    return expiresAtMs === undefined ? {} : { expiresInMs: Math.max(0, expiresAtMs - this.clock.nowMs()) };
  }

  /**
   * A socket lives as long as its access token: before it ends the client sends `{ type: "auth",
   * accessToken }` again with a fresh token of the same session (answered `ready` with the new
   * `expiresInMs`); otherwise it is closed with 4440. Another session's token is refused (4401).
   */
  private keepRenewable(ws: WebSocket, address: string, sessionId: string, expiresAtMs: number): void {
    this.expiries.set(ws, expiresAtMs);
    ws.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null || !('type' in message) || message.type !== 'auth') return;
      void this.guesses
        .counting(address, ['unauthenticated'], () => this.verifyAuth(clientMessage(message)))
        .then(({ principal, expiresAtMs: renewed }) => {
          if (ws.readyState !== WebSocket.OPEN) return;
          if (principal.sessionId !== sessionId) return ws.close(WsCloseCodes.unauthenticated, 'another session');
          this.expiries.set(ws, renewed);
          ws.send(JSON.stringify({ type: 'ready', sessionId, ...this.expiresIn(renewed) }));
        })
        .catch((error: unknown) => {
          const code = error instanceof AppError ? error.code : 'unauthenticated';
          if (ws.readyState !== WebSocket.OPEN) return;
          ws.send(JSON.stringify({ type: 'error', code }));
          // Redis or NATS away: the current token still holds until it ends.
          if (code !== 'service_unavailable')
            ws.close(code === 'rate_limited' ? WsCloseCodes.rateLimited : WsCloseCodes.unauthenticated, code);
        });
    });
  }

  private closeExpired(): void {
    const now = this.clock.nowMs();
    for (const [ws, expiresAtMs] of this.expiries) {
      if (expiresAtMs > now) continue;
      this.expiries.delete(ws);
      if (ws.readyState !== WebSocket.OPEN) continue;
      ws.send(JSON.stringify({ type: 'error', code: 'token_expired' }));
      ws.close(WsCloseCodes.tokenExpired, 'token_expired');
    }
  }

  private file(ws: WebSocket, owner: SocketOwner): void {
    const keys = [
      ...(owner.userId ? [`user:${owner.userId}`] : []),
      ...(owner.sessionId ? [`session:${owner.sessionId}`] : []),
      ...(owner.keys ?? []),
    ];
    for (const key of keys) {
      let set = this.byKey.get(key);
      if (!set) this.byKey.set(key, (set = new Set()));
      set.add(ws);
    }
    ws.once('close', () => {
      for (const key of keys) {
        const set = this.byKey.get(key);
        set?.delete(ws);
        if (set && set.size === 0) this.byKey.delete(key);
      }
    });
  }
}

/** The first message as the protocol declares it; a malformed one is refused like a wrong credential. */
function clientMessage(message: unknown): ClientMessage {
  const parsed = ClientMessage.safeParse(message);
  if (!parsed.success) throw new AppError('unauthenticated', 'the first message must authenticate');
  return parsed.data;
}
