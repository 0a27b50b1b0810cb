import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppError } from '@gatehouse/errors';
import { CONFIG, LOGGER, Logger } from '@gatehouse/platform';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { upgradeClientAddress } from '../auth/client-address';
import { CredentialVerifier } from '../auth/credential-verifier.service';
import { GuessThrottle } from '../auth/guess-throttle';
import type { GatewayConfig } from '../config';

export const WS_PATH = '/api/v1/ws';
export const WsCloseCodes = { goingAway: 1001, sessionRevoked: 4001, unauthenticated: 4401, authTimeout: 4408, rateLimited: 4429 } as const;
/** How long a shutting-down gateway waits for clients to answer its close frame. */
const SHUTDOWN_GRACE_MS = 500;

export interface ServerMessage {
  type: string;
  [key: string]: unknown;
}

/** Who a socket belongs to once its first message was accepted. */
export interface SocketOwner {
  userId?: string;
  sessionId?: string;
  /** Other keys a first-message handler files the socket under (e.g. `pending:<id>`). */
  keys?: string[];
}

/** Handles a first message other than `auth` (issue 5 adds `pending`); throw to refuse. */
export type FirstMessageHandler = (message: Record<string, unknown>) => Promise<SocketOwner>;

/**
 * The WebSocket endpoint `GET /api/v1/ws` and the sockets of this gateway instance, filed by
 * user, session and other keys, so NATS events can be pushed to the right devices.
 */
@Injectable()
export class SocketHub implements OnModuleInit, BeforeApplicationShutdown {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  private readonly byKey = new Map<string, Set<WebSocket>>();
  private readonly firstMessageHandlers = new Map<string, FirstMessageHandler>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: CredentialVerifier,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    private readonly guesses: GuessThrottle,
  ) {
    this.firstMessageHandlers.set('auth', async (message) => {
      if (typeof message.accessToken !== 'string') throw new AppError('unauthenticated', 'accessToken missing');
      const principal = await this.verifier.accessToken(message.accessToken);
      return { userId: principal.userId, sessionId: principal.sessionId };
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
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, address));
    });
  }

  registerFirstMessage(type: string, handler: FirstMessageHandler): void {
    this.firstMessageHandlers.set(type, handler);
  }

  pushToUser(userId: string, message: ServerMessage): number {
    return this.push(`user:${userId}`, message);
  }

  pushToSession(sessionId: string, message: ServerMessage): number {
    return this.push(`session:${sessionId}`, message);
  }

  pushToKey(key: string, message: ServerMessage): number {
    return this.push(key, message);
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
    const sockets = [...this.wss.clients];
    const closed = sockets.map((ws) => new Promise<void>((done) => (ws.readyState === WebSocket.CLOSED ? done() : ws.once('close', () => done()))));
    for (const ws of sockets) ws.close(WsCloseCodes.goingAway, 'server restarting');
    await Promise.race([Promise.all(closed), new Promise((done) => setTimeout(done, SHUTDOWN_GRACE_MS).unref())]);
    for (const ws of sockets) ws.terminate();
    this.wss.close();
  }

  private push(key: string, message: ServerMessage): number {
    const sockets = this.byKey.get(key);
    if (!sockets) return 0;
    const text = JSON.stringify(message);
    for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text);
    return sockets.size;
  }

  private accept(ws: WebSocket, address: string): void {
    let owned = false;
    const timer = setTimeout(() => ws.close(WsCloseCodes.authTimeout, 'authentication timeout'), this.config.WS_AUTH_TIMEOUT_MS);
    ws.on('error', () => ws.terminate());
    ws.once('close', () => clearTimeout(timer));
    ws.once('message', (data) => {
      void (async () => {
        try {
          const message = JSON.parse(data.toString()) as Record<string, unknown>;
          const handler = typeof message?.type === 'string' ? this.firstMessageHandlers.get(message.type) : undefined;
          if (!handler) throw new AppError('unauthenticated', 'the first message must authenticate');
          // A refused access or poll token is a credential guess, as over HTTP (GuessThrottle).
          const owner = await this.guesses.counting(address, ['unauthenticated'], () => handler(message));
          if (ws.readyState !== WebSocket.OPEN) return;
          clearTimeout(timer);
          owned = true;
          this.file(ws, owner);
          ws.send(JSON.stringify({ type: 'ready', ...(owner.sessionId ? { sessionId: owner.sessionId } : {}) }));
        } catch (error) {
          clearTimeout(timer);
          const code = error instanceof AppError ? error.code : 'unauthenticated';
          const retryAfterSeconds = error instanceof AppError ? error.details?.retryAfterSeconds : undefined;
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'error', code, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) }));
          // Redis or NATS down is not the client's fault: a normal "try again later" close.
          ws.close(code === 'service_unavailable' ? 1013 : code === 'rate_limited' ? WsCloseCodes.rateLimited : WsCloseCodes.unauthenticated, code);
          if (!owned) this.logger.debug({ code }, 'websocket refused');
        }
      })();
    });
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
