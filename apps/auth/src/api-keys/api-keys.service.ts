import { Inject, Injectable } from '@nestjs/common';
import { Actor, ApiKeyView, PrincipalPayload, principalOf, ReplyOf, DirectorySubjects } from '@gatehouse/contracts';
import { randomSecret, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { reachUser } from '../accounts/user-reach';
import { ApiKeyRow, ApiKeysRepository } from './api-keys.repository';

/** Last use is written at most this often per key, so a busy key does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;
const DAY_MS = 86_400_000;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The key is returned this once; only its SHA-256 is kept. Made from a session only (the contract requires its id). */
  async create(userId: string, name: string, expiresInDays: number): Promise<ReplyOf<'auth.api-key.create'>> {
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId });
    if (!user) throw new AppError('not_found', 'No such user');
    if (user.external) throw new AppError('forbidden', 'External users cannot make API keys');
    const key = `ghk_${randomSecret(32)}`;
    const now = this.clock.now();
    const row = await this.keys.create({
      userId,
      name,
      keyHash: sha256(key),
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresInDays * DAY_MS),
    });
    return { apiKey: toView(row), key };
  }

  /** With an administrator's `actor`, only of a user they reach (directory answers not_found otherwise). */
  async list(userId: string, actor?: Actor): Promise<ApiKeyView[]> {
    await reachUser(this.nats, actor, userId);
    return (await this.keys.listOf(userId)).map(toView);
  }

  /**
   * A request made with an API key may revoke only that key; revoking others needs a session. With an
   * administrator's `actor`, only a key of a user they reach; `domain` is then the user's.
   */
  revoke(userId: string, apiKeyId: string, viaApiKeyId?: string, actor?: Actor): Promise<ReplyOf<'auth.api-key.revoke'>> {
    if (viaApiKeyId !== undefined && viaApiKeyId !== apiKeyId) {
      throw new AppError('interactive_session_required', 'An API key can revoke only itself; sign in to revoke other keys');
    }
    return this.revokeReached(userId, apiKeyId, actor);
  }

  private async revokeReached(userId: string, apiKeyId: string, actor?: Actor): Promise<ReplyOf<'auth.api-key.revoke'>> {
    const domain = await reachUser(this.nats, actor, userId);
    return { revoked: await this.keys.revoke(userId, apiKeyId), ...(domain ? { domain } : {}) };
  }

  /** Account recovery that ends other sessions ends the keys too; returns how many went. */
  async revokeAllOf(userId: string): Promise<number> {
    const revoked = await this.keys.deleteOf(userId);
    if (revoked > 0) this.logger.info({ event: 'api_keys.revoked_all', userId, revoked }, 'API keys of the user revoked');
    return revoked;
  }

  /** The key speaks with its user's current permissions; an expired key is answered like an unknown one. */
  async verify(keyHash: string): Promise<PrincipalPayload | null> {
    const row = await this.keys.findByHash(keyHash);
    const now = this.clock.now();
    if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId: row.userId });
    if (!user) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) await this.keys.markUsed(row.id, now);
    return { ...principalOf(user), apiKeyId: row.id };
  }
}

const toView = (row: ApiKeyRow): ApiKeyView => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});
