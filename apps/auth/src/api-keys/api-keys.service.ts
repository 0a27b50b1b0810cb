import { Injectable } from '@nestjs/common';
import { ApiKeyView, PrincipalPayload, ReplyOf } from '@gatehouse/contracts';
import { randomSecret, sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock, NatsClient } from '@gatehouse/platform';
import { ApiKeyRow, ApiKeysRepository } from './api-keys.repository';

/** Last use is written at most this often per key, so a busy key does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
  ) {}

  /** The key is returned this once; only its SHA-256 is kept. */
  async create(userId: string, name: string): Promise<ReplyOf<'auth.api-key.create'>> {
    const { user } = await this.nats.send('directory.user.get', { userId });
    if (!user) throw new AppError('not_found', 'No such user');
    if (user.external) throw new AppError('forbidden', 'External users cannot make API keys');
    const key = `ghk_${randomSecret(32)}`;
    const row = await this.keys.create({ userId, name, keyHash: sha256(key), createdAt: this.clock.now() });
    return { apiKey: toView(row), key };
  }

  async list(userId: string): Promise<ApiKeyView[]> {
    return (await this.keys.listOf(userId)).map(toView);
  }

  revoke(userId: string, apiKeyId: string): Promise<boolean> {
    return this.keys.revoke(userId, apiKeyId);
  }

  /** The key speaks with its user's current permissions. */
  async verify(keyHash: string): Promise<PrincipalPayload | null> {
    const row = await this.keys.findByHash(keyHash);
    if (!row) return null;
    const { user } = await this.nats.send('directory.user.get', { userId: row.userId });
    if (!user) return null;
    const now = this.clock.now();
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) await this.keys.markUsed(row.id, now);
    return { userId: user.id, domain: user.domain, username: user.username, admin: user.admin && !user.external, external: user.external, apiKeyId: row.id };
  }
}

const toView = (row: ApiKeyRow): ApiKeyView => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});
