import { Injectable } from '@nestjs/common';
import { principalOf, type TokenEntry, SessionsSubjects, AuthSubjects } from '@gatehouse/contracts';
import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock, NatsClient } from '@gatehouse/platform';
import { GuessThrottle } from './guess-throttle';
import type { Principal } from './principal';
import { TokenStore } from './token-store';

/** A session is marked used at most this often per gateway (the refreshable lifetimes count days). */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Checks `Bearer` access tokens and `ApiKey` keys. Tokens are looked up in Redis by their hash
 * (written only by `sessions`); a miss asks `sessions`, which answers from PostgreSQL and refills
 * Redis. Redis unreachable means 503: a token check never fails open.
 */
@Injectable()
export class CredentialVerifier {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    private readonly guesses: GuessThrottle,
  ) {}

  /** `address` given: an unknown token or key counts against that client address (GuessThrottle). */
  /**
   * A login request that proves a live session of its device (`Authorization: Bearer`): that device is
   * known for throttling. Anything else is no proof and is ignored, except throttling and outages.
   */
  async deviceSession(header: string | undefined, address: string): Promise<{ userId: string; sessionId: string } | undefined> {
    if (!header) return undefined;
    try {
      const principal = await this.fromAuthorization(header, address);
      return principal.sessionId ? { userId: principal.userId, sessionId: principal.sessionId } : undefined;
    } catch (error) {
      if (error instanceof AppError && (error.code === 'rate_limited' || error.code === 'service_unavailable')) throw error;
      return undefined;
    }
  }

  async fromAuthorization(header: string | undefined, address?: string): Promise<Principal> {
    const match = /^(Bearer|ApiKey)\s+(\S{1,512})$/i.exec(header?.trim() ?? '');
    if (!match) throw new AppError('unauthenticated', 'Authentication required');
    try {
      return match[1].toLowerCase() === 'bearer' ? (await this.accessTokenUntil(match[2])).principal : await this.apiKey(match[2]);
    } catch (error) {
      if (address !== undefined && error instanceof AppError && error.code === 'unauthenticated') await this.guesses.failed(address);
      throw error;
    }
  }

  async accessToken(token: string): Promise<Principal> {
    return (await this.accessTokenUntil(token)).principal;
  }

  /** The principal and when the token ends: a WebSocket authenticated with it is closed then. */
  async accessTokenUntil(token: string): Promise<{ principal: Principal; expiresAtMs: number }> {
    const tokenHash = sha256(token);
    const entry = (await this.tokens.find(tokenHash)) ?? (await this.nats.send(SessionsSubjects.verifyToken, { tokenHash })).entry;
    if (!entry) throw new AppError('unauthenticated', 'Authentication required');
    const now = this.clock.nowMs();
    if (entry.expiresAtMs <= now) throw new AppError('token_expired', 'Access token expired');
    this.touch(entry.sessionId, now);
    return { principal: toPrincipal(entry), expiresAtMs: entry.expiresAtMs };
  }

  async apiKey(key: string): Promise<Principal> {
    const { principal } = await this.nats.send(AuthSubjects.apiKeyVerify, { keyHash: sha256(key) });
    if (!principal) throw new AppError('unauthenticated', 'Authentication required');
    return { ...principal, ...principalOf(principal) };
  }

  forget(sessionId: string): void {
    this.touched.delete(sessionId);
  }

  /** Use keeps refreshable and longLogin sessions alive; told to `sessions` at most once a minute. */
  private touch(sessionId: string, now: number): void {
    const last = this.touched.get(sessionId);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(sessionId, now);
    if (this.touched.size > 100_000) this.touched.clear();
    this.nats.send(SessionsSubjects.touch, { sessionId }).catch(() => this.touched.delete(sessionId));
  }
}

const toPrincipal = (entry: TokenEntry): Principal => ({ ...principalOf(entry), sessionId: entry.sessionId });
