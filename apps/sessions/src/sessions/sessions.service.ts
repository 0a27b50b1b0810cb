import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
  actsForInstallation,
  actsInDomain,
  ParsedRequestOf,
  principalOf,
  ReplyOf,
  SessionView,
  TokenEntry,
  SessionsSubjects,
  DirectorySubjects,
  REVOKED_BATCH_MAX,
} from '@gatehouse/contracts';
import { randomSecret, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import type { SessionsConfig } from '../config';
import { asApplication, sessionExpiry } from './lifetime';
import { NonceStore } from './nonce-store';
import { hashSessionPassword, newSessionPassword, proofMatches } from './session-secret';
import { EndedSession, SessionRow, SessionsRepository, UserSnapshot } from './sessions.repository';
import { TokenCache } from './token-cache';

type Issued = ReplyOf<'sessions.session.mint-token'>;

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly cache: TokenCache,
    private readonly nonces: NonceStore,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: SessionsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** A new session per login and device, with fresh ids (a client can never fix a session). */
  async create(req: ParsedRequestOf<'sessions.session.create'>): Promise<ReplyOf<'sessions.session.create'>> {
    const now = this.clock.now();
    const password = newSessionPassword();
    const expiresAt = this.expiry(req.application, now, now);
    const accessToken = randomSecret(32);
    const tokenExpiresAt = this.tokenExpiry(expiresAt);
    const row = await this.sessions.createWithToken(
      {
        userId: req.userId,
        domain: req.domain,
        username: req.username,
        admin: req.admin,
        external: req.external,
        passwordHash: hashSessionPassword(password),
        deviceName: req.device.name,
        devicePlatform: req.device.platform,
        application: req.application,
        subid: req.subid ?? null,
        ip: req.ip ?? null,
        createdAt: now,
        lastUsedAt: now,
        expiresAt,
      },
      { tokenHash: sha256(accessToken), expiresAt: tokenExpiresAt },
    );
    await this.cacheToken(sha256(accessToken), row, tokenExpiresAt);
    return { session: { id: row.id, password }, accessToken, expiresAt: tokenExpiresAt.toISOString() };
  }

  async challenge(sessionId: string): Promise<{ nonce: string }> {
    await this.liveSession(sessionId);
    return { nonce: await this.nonces.issue(sessionId) };
  }

  /** Challenge-response: the session password itself never travels again after login. */
  async mintToken(req: ParsedRequestOf<'sessions.session.mint-token'>): Promise<Issued> {
    const fresh = await this.nonces.consume(req.sessionId, req.nonce);
    const session = await this.liveSession(req.sessionId);
    if (!fresh || !proofMatches(session.passwordHash, req.nonce, req.proof)) {
      throw new AppError('invalid_proof', 'The proof does not match the challenge');
    }
    // A new token carries the user as they are now (admin taken away, user deleted).
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId: session.userId });
    if (!user) {
      await this.revoke(session.userId, session.id);
      throw new AppError('session_revoked', 'The session has ended');
    }
    const { userId: _userId, ...snapshot } = principalOf(user);
    const now = this.clock.now();
    const expiresAt = this.expiry(session.application, session.createdAt, now);
    // At the absolute limit, use no longer extends the session: the device must log in again.
    if (expiresAt <= now || !(await this.sessions.markUsed(session.id, now, expiresAt, snapshot))) {
      throw new AppError('session_revoked', 'The session has ended');
    }
    const accessToken = randomSecret(32);
    const tokenExpiresAt = this.tokenExpiry(expiresAt);
    await this.sessions.addToken(session.id, { tokenHash: sha256(accessToken), createdAt: now, expiresAt: tokenExpiresAt });
    await this.cacheToken(sha256(accessToken), { ...session, ...snapshot }, tokenExpiresAt);
    return { accessToken, expiresAt: tokenExpiresAt.toISOString() };
  }

  /** A Redis miss: PostgreSQL decides, and a live token goes back into Redis. */
  async verifyToken(tokenHash: string): Promise<TokenEntry | null> {
    const row = await this.sessions.findToken(tokenHash);
    const now = this.clock.nowMs();
    if (!row || row.expiresAt.getTime() <= now || row.session.expiresAt.getTime() <= now) return null;
    const entry = toEntry(row.session, row.expiresAt);
    await this.cache.put(tokenHash, entry).catch(() => this.logger.warn('could not refill the token cache'));
    return entry;
  }

  async touch(sessionId: string): Promise<boolean> {
    const session = await this.sessions.findById(sessionId);
    const now = this.clock.now();
    if (!session || session.expiresAt <= now) return false;
    const expiresAt = this.expiry(session.application, session.createdAt, now);
    if (expiresAt <= now) return false;
    return this.sessions.markUsed(sessionId, now, expiresAt);
  }

  /**
   * `actor`: an administrator asking; only sessions of a user in its domains are listed, and a user
   * it cannot reach (or none) is not_found, as directory would answer.
   */
  async list(userId: string, currentSessionId?: string, actor?: Actor): Promise<SessionView[]> {
    const rows = await this.sessions.listLive(userId, this.clock.now(), this.reach(actor));
    if (actor && rows.length === 0) {
      // No session says nothing of the user: directory knows whether they exist, and in which domain.
      const { user } = await this.nats.send(DirectorySubjects.userGet, { userId });
      if (!user || !actsInDomain(actor, this.config.GATEHOUSE_DOMAIN, user.domain)) throw new AppError('not_found', 'No such user');
    }
    return rows.map((row) => ({
      id: row.id,
      device: { name: row.deviceName, platform: row.devicePlatform },
      application: asApplication(row.application),
      subid: row.subid,
      ip: row.ip,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      current: row.id === currentSessionId,
    }));
  }

  /**
   * Tokens leave Redis first, then the rows go, then Redis once more: a refill racing the
   * delete cannot bring a revoked token back.
   */
  async revoke(userId: string, sessionId: string): Promise<boolean> {
    return (await this.end(userId, sessionId)) !== null;
  }

  /** An administrator ends a session: one of a user outside its domains, or none, is not_found. Answers the user's domain. */
  async revokeAs(actor: Actor, userId: string, sessionId: string): Promise<string> {
    const domain = await this.end(userId, sessionId, this.reach(actor));
    if (domain === null) throw new AppError('not_found', 'No such session');
    return domain;
  }

  /** The ended session's user's domain, or null when there was no such session (in `domain`, when given). */
  private async end(userId: string, sessionId: string, domain?: string): Promise<string | null> {
    await this.cache.remove(await this.sessions.tokenHashesOf(userId, sessionId, domain));
    const ended = await this.sessions.delete(userId, sessionId, domain);
    if (!ended) return null;
    await this.finish([ended], 'revoked');
    return ended.domain;
  }

  /**
   * A changed user (admin flag taken away, renamed) is what every token of theirs carries from
   * now on: the rows change, and the Redis copies go before and after, so the next check reads
   * PostgreSQL (a refill racing the update cannot keep the old user).
   */
  async userChanged(user: UserSnapshot & { id: string }): Promise<void> {
    const { userId: _userId, ...snapshot } = principalOf(user);
    const hashes = await this.sessions.tokenHashesOfUser(user.id);
    await this.cache.remove(hashes);
    await this.sessions.updateUserOf(user.id, snapshot);
    await this.cache.remove(hashes);
  }

  async revokeAllOf(userId: string): Promise<number> {
    const ended = await this.sessions.deleteAllOf(userId);
    await this.finish(ended, 'user_deleted');
    return ended.length;
  }

  /**
   * Tokens out of Redis (one DEL for all), then the ends announced: one session as `sessions.session.revoked`,
   * several (the sweep's batch, a deleted user's sessions) as one `sessions.session.revoked-batch` per
   * REVOKED_BATCH_MAX, so that listeners do their lookups and deletes once per batch, not per session.
   */
  async finish(ended: EndedSession[], reason: 'revoked' | 'expired' | 'user_deleted'): Promise<void> {
    // The rows are gone already: their ends are announced even when Redis fails (sockets closed, app grants
    // ended), and the failure is thrown after. An expired session's tokens have expired in Redis by then too.
    const failed = await this.cache.remove(ended.flatMap((session) => session.tokenHashes)).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    await this.announce(ended, reason);
    if (failed) throw failed.error;
  }

  private async announce(ended: EndedSession[], reason: 'revoked' | 'expired' | 'user_deleted'): Promise<void> {
    if (ended.length === 1) {
      const [session] = ended;
      await this.nats
        .emit(SessionsSubjects.revoked, { sessionId: session.id, userId: session.userId, external: session.external, reason })
        .catch((error: unknown) => this.logger.error({ err: error, sessionId: session.id }, 'could not announce the end of a session'));
      return;
    }
    for (let from = 0; from < ended.length; from += REVOKED_BATCH_MAX) {
      const sessions = ended
        .slice(from, from + REVOKED_BATCH_MAX)
        .map((session) => ({ sessionId: session.id, userId: session.userId, external: session.external }));
      await this.nats
        .emit(SessionsSubjects.revokedBatch, { reason, sessions })
        .catch((error: unknown) => this.logger.error({ err: error, count: sessions.length }, 'could not announce the end of sessions'));
    }
  }

  private async liveSession(sessionId: string): Promise<SessionRow> {
    const session = await this.sessions.findById(sessionId);
    if (!session || session.expiresAt.getTime() <= this.clock.nowMs()) throw new AppError('session_revoked', 'The session has ended');
    return session;
  }

  private tokenExpiry(sessionExpiresAt: Date): Date {
    return new Date(Math.min(this.clock.nowMs() + this.config.ACCESS_TOKEN_TTL_SECONDS * 1000, sessionExpiresAt.getTime()));
  }

  /** The one domain an administrator reaches; undefined: every domain (installation administrators, or a user asking for their own). */
  private reach(actor: Actor | undefined): string | undefined {
    return !actor || actor.kind === 'system' || actsForInstallation(actor, this.config.GATEHOUSE_DOMAIN) ? undefined : actor.domain;
  }

  private expiry(application: string, createdAt: Date, lastUsedAt: Date): Date {
    const maxLifetimeMs = this.config.SESSION_MAX_LIFETIME_DAYS * 86_400_000;
    return new Date(sessionExpiry(asApplication(application), createdAt.getTime(), lastUsedAt.getTime(), maxLifetimeMs));
  }

  private async cacheToken(tokenHash: string, session: SessionRow, expiresAt: Date): Promise<void> {
    // Redis is only the fast copy: a failure here costs one PostgreSQL lookup later.
    await this.cache.put(tokenHash, toEntry(session, expiresAt)).catch(() => this.logger.warn('could not cache a new token'));
  }
}

const toEntry = (session: SessionRow, expiresAt: Date): TokenEntry => ({
  userId: session.userId,
  domain: session.domain,
  username: session.username,
  admin: session.admin,
  external: session.external,
  sessionId: session.id,
  expiresAtMs: expiresAt.getTime(),
});
