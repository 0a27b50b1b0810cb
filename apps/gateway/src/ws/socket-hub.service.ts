import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ClientMessage, WS_PATH, WsCloseCodes, type AppSocketMessage, type ServerMessage } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, LOGGER, Logger } from '@gatehouse/platform';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
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
 * What the hub keeps of one socket. One small object per socket and listeners shared by all sockets
 * (issue 23: a closure per listener was most of an idle socket's heap).
 */
class SocketState {
  /** Cleared once the first message was answered, so the timer is not kept. */
  authTimer?: NodeJS.Timeout;
  /** Counted in `unauthenticated` until its first message was accepted (or it closed). */
  counted = true;
  /** new → checking (the first message is being verified; later ones are ignored) → owned. */
  phase: 'new' | 'checking' | 'owned' = 'new';
  userId?: string;
  sessionId?: string;
  keys?: string[];
  /** When the access token it authenticated with ends (renewable sockets only). */
  expiresAtMs?: number;

  constructor(
    readonly ws: WebSocket,
    /** The upgraded connection: pushes write one prepared frame to it (see `push`). */
    readonly connection: Duplex,
    readonly address: string,
  ) {}
}

/**
 * The WebSocket endpoint `GET /api/v1/ws` and the sockets of this gateway instance, filed by
 * user, session and other keys, so NATS events can be pushed to the right devices.
 */
@Injectable()
export class SocketHub implements OnModuleInit, BeforeApplicationShutdown {
  // No compression: `push` writes uncompressed frames straight to the connection, and zlib would cost memory per socket.
  // No client tracking: `sockets` below is the list (ws's own adds a closure per socket).
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false, clientTracking: false });
  private readonly sockets = new Map<WebSocket, SocketState>();
  private readonly byUser = new Map<string, Set<SocketState>>();
  private readonly bySession = new Map<string, Set<SocketState>>();
  /** Other keys (`pending:<id>`, `app:<domain>/<appId>`). */
  private readonly byKey = new Map<string, Set<SocketState>>();
  private readonly firstMessageHandlers: { [T in ClientMessage['type']]?: FirstMessageHandler<T> } = {};
  /** Sockets per client address that have not authenticated yet (WS_UNAUTHENTICATED_PER_ADDRESS). */
  private readonly unauthenticated = new Map<string, number>();
  private readonly listeners = socketListeners({
    closed: (ws) => this.closed(ws),
    received: (ws, data) => this.received(ws, data),
  });
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
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, socket, address));
    });
    this.expiryTimer = setInterval(() => this.closeExpired(), EXPIRY_CHECK_MS).unref();
  }

  registerFirstMessage<T extends ClientMessage['type']>(type: T, handler: FirstMessageHandler<T>): void {
    this.firstMessageHandlers[type] = handler as (typeof this.firstMessageHandlers)[T];
  }

  pushToUser(userId: string, message: ServerMessage): number {
    return this.push(this.byUser.get(userId), message);
  }

  pushToSession(sessionId: string, message: ServerMessage): number {
    return this.push(this.bySession.get(sessionId), message);
  }

  /** Sockets filed under another key by their first message (`pending:<id>`, `app:<domain>/<appId>`). */
  pushToKey(key: string, message: ServerMessage | AppSocketMessage): number {
    return this.push(this.byKey.get(key), message);
  }

  /** Whether this instance holds any socket filed under a key that starts with `prefix` (spares lookups for nobody). */
  holdsKeyStartingWith(prefix: string): boolean {
    // Only the other keys: users' and sessions' sockets, the many, are not in this map.
    for (const key of this.byKey.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  closeSession(sessionId: string, code: number, reason: string): void {
    for (const state of [...(this.bySession.get(sessionId) ?? [])]) state.ws.close(code, reason);
  }

  /**
   * Before the HTTP server closes (it would otherwise wait for every upgraded socket): clients are
   * told 1001 "going away", so they reconnect to another gateway instead of taking it for a network
   * failure; whoever has not answered the close within a moment is cut off.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.expiryTimer);
    const sockets = [...this.sockets.keys()];
    const closed = sockets.map(
      (ws) => new Promise<void>((done) => (ws.readyState === WebSocket.CLOSED ? done() : ws.once('close', () => done()))),
    );
    for (const ws of sockets) ws.close(WsCloseCodes.goingAway, 'server restarting');
    await Promise.race([Promise.all(closed), new Promise((done) => setTimeout(done, SHUTDOWN_GRACE_MS).unref())]);
    for (const ws of sockets) ws.terminate();
    this.wss.close();
  }

  /**
   * The message is serialized and framed once, and the frame written to each connection: `ws.send`
   * would encode and frame the same text again for every socket, the dearest part of a push to many.
   * Safe beside ws's own writes because they are unbuffered (no compression) and each frame is one write.
   */
  private push(sockets: Set<SocketState> | undefined, message: ServerMessage | AppSocketMessage): number {
    if (!sockets) return 0;
    const frame = textFrame(JSON.stringify(message));
    for (const { ws, connection } of sockets) if (ws.readyState === WebSocket.OPEN) connection.write(frame);
    return sockets.size;
  }

  private accept(ws: WebSocket, connection: Duplex, address: string): void {
    const state = new SocketState(ws, connection, address);
    this.sockets.set(ws, state);
    this.unauthenticated.set(address, (this.unauthenticated.get(address) ?? 0) + 1);
    state.authTimer = setTimeout(closeUnauthenticated, this.config.WS_AUTH_TIMEOUT_MS, ws);
    ws.on('error', this.listeners.error);
    ws.on('close', this.listeners.close);
    ws.on('message', this.listeners.message);
  }

  private closed(ws: WebSocket): void {
    const state = this.sockets.get(ws);
    if (!state) return;
    this.sockets.delete(ws);
    this.stopAuthTimer(state);
    this.uncount(state);
    this.unfile(state);
  }

  private received(ws: WebSocket, data: RawData): void {
    const state = this.sockets.get(ws);
    if (!state) return;
    if (state.phase === 'new') {
      state.phase = 'checking';
      void this.firstMessageReceived(state, data);
    } else if (state.phase === 'owned' && state.sessionId && state.expiresAtMs !== undefined) {
      this.renewalReceived(state, data);
    }
  }

  private stopAuthTimer(state: SocketState): void {
    clearTimeout(state.authTimer);
    state.authTimer = undefined;
  }

  private uncount(state: SocketState): void {
    if (!state.counted) return;
    state.counted = false;
    const left = (this.unauthenticated.get(state.address) ?? 1) - 1;
    if (left > 0) this.unauthenticated.set(state.address, left);
    else this.unauthenticated.delete(state.address);
  }

  private async firstMessageReceived(state: SocketState, data: RawData): Promise<void> {
    const { ws, address } = state;
    try {
      const message: unknown = JSON.parse(data.toString());
      const type = typeof message === 'object' && message !== null && 'type' in message ? message.type : undefined;
      if (typeof type !== 'string' || !Object.hasOwn(this.firstMessageHandlers, type))
        throw new AppError('unauthenticated', 'the first message must authenticate');
      // A refused access or poll token (or a malformed one) is a credential guess, as over HTTP (GuessThrottle).
      const owner = await this.guesses.counting(address, ['unauthenticated'], () => this.firstMessage(clientMessage(message)));
      if (ws.readyState !== WebSocket.OPEN) return;
      this.stopAuthTimer(state);
      state.phase = 'owned';
      this.uncount(state);
      this.file(state, owner);
      if (owner.expiresAtMs !== undefined && owner.sessionId) state.expiresAtMs = owner.expiresAtMs;
      ws.send(
        JSON.stringify({
          type: 'ready',
          ...(owner.sessionId ? { sessionId: owner.sessionId } : {}),
          ...this.expiresIn(owner.expiresAtMs),
        }),
      );
    } catch (error) {
      this.stopAuthTimer(state);
      const code = error instanceof AppError ? error.code : 'unauthenticated';
      const retryAfterSeconds = error instanceof AppError ? error.details?.retryAfterSeconds : undefined;
      if (ws.readyState === WebSocket.OPEN)
        ws.send(JSON.stringify({ type: 'error', code, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) }));
      // Redis or NATS down is not the client's fault: a normal "try again later" close.
      ws.close(
        code === 'service_unavailable' ? 1013 : code === 'rate_limited' ? WsCloseCodes.rateLimited : WsCloseCodes.unauthenticated,
        code,
      );
      if (state.phase !== 'owned') this.logger.debug({ code }, 'websocket refused');
    }
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
  private renewalReceived(state: SocketState, data: RawData): void {
    const { ws, address, sessionId } = state;
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
        state.expiresAtMs = renewed;
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
  }

  private closeExpired(): void {
    const now = this.clock.nowMs();
    for (const state of this.sockets.values()) {
      if (state.expiresAtMs === undefined || state.expiresAtMs > now) continue;
      state.expiresAtMs = undefined;
      const { ws } = state;
      if (ws.readyState !== WebSocket.OPEN) continue;
      ws.send(JSON.stringify({ type: 'error', code: 'token_expired' }));
      ws.close(WsCloseCodes.tokenExpired, 'token_expired');
    }
  }

  private file(state: SocketState, owner: SocketOwner): void {
    state.userId = owner.userId;
    state.sessionId = owner.sessionId;
    state.keys = owner.keys?.length ? owner.keys : undefined;
    if (state.userId) fileUnder(this.byUser, state.userId, state);
    if (state.sessionId) fileUnder(this.bySession, state.sessionId, state);
    for (const key of state.keys ?? []) fileUnder(this.byKey, key, state);
  }

  private unfile(state: SocketState): void {
    if (state.userId) unfileFrom(this.byUser, state.userId, state);
    if (state.sessionId) unfileFrom(this.bySession, state.sessionId, state);
    for (const key of state.keys ?? []) unfileFrom(this.byKey, key, state);
  }
}

function fileUnder(map: Map<string, Set<SocketState>>, key: string, state: SocketState): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(state);
}

function unfileFrom(map: Map<string, Set<SocketState>>, key: string, state: SocketState): void {
  const set = map.get(key);
  if (!set?.delete(state)) return;
  if (set.size === 0) map.delete(key);
}

/** The listeners every socket shares; ws calls them with the socket as `this`. */
function socketListeners(hub: { closed(ws: WebSocket): void; received(ws: WebSocket, data: RawData): void }) {
  return {
    error(this: WebSocket) {
      this.terminate();
    },
    close(this: WebSocket) {
      hub.closed(this);
    },
    message(this: WebSocket, data: RawData) {
      hub.received(this, data);
    },
  };
}

function closeUnauthenticated(ws: WebSocket): void {
  ws.close(WsCloseCodes.authTimeout, 'authentication timeout');
}

/** One final, unmasked text frame (RFC 6455 5.2), as a server sends it. */
export function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** The first message as the protocol declares it; a malformed one is refused like a wrong credential. */
function clientMessage(message: unknown): ClientMessage {
  const parsed = ClientMessage.safeParse(message);
  if (!parsed.success) throw new AppError('unauthenticated', 'the first message must authenticate');
  return parsed.data;
}
