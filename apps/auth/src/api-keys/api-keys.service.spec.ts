import { DirectorySubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { ManualClock } from '@gatehouse/platform';
import type { Logger, NatsClient } from '@gatehouse/platform';
import type { ApiKeyRow, ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

const USER = { id: '00000000-0000-4000-8000-000000000001', domain: 'example.com', username: 'judy', admin: false, external: false };
const DAY_MS = 86_400_000;

function setup() {
  const clock = new ManualClock(Date.parse('2026-12-01T00:00:00Z'));
  const rows: ApiKeyRow[] = [];
  const keys = {
    create: jest.fn(async (row: Omit<ApiKeyRow, 'id' | 'lastUsedAt'>) => {
      const stored = { ...row, id: `00000000-0000-4000-8000-00000000000${rows.length + 2}`, lastUsedAt: null };
      rows.push(stored);
      return stored;
    }),
    findByHash: jest.fn(async (keyHash: string) => rows.find((row) => row.keyHash === keyHash) ?? null),
    markUsed: jest.fn(async () => undefined),
    revoke: jest.fn(async () => true),
  };
  const nats = { send: jest.fn(async () => ({ user: USER })) };
  const logger = { info: jest.fn() };
  const sut = new ApiKeysService(keys as unknown as ApiKeysRepository, nats as unknown as NatsClient, clock, logger as unknown as Logger);
  return { sut, clock, keys, nats };
}

describe('ApiKeysService', () => {
  it('gives a key the lifetime asked for and refuses it from the moment it expires', async () => {
    const { sut, clock, keys } = setup();
    const { apiKey } = await sut.create(USER.id, 'ci', 30);
    expect(Date.parse(apiKey.expiresAt) - Date.parse(apiKey.createdAt)).toBe(30 * DAY_MS);
    const keyHash = keys.create.mock.calls[0][0].keyHash;

    clock.advance(30 * DAY_MS - 1);
    expect(await sut.verify(keyHash)).toMatchObject({ userId: USER.id, apiKeyId: apiKey.id });
    clock.advance(1);
    expect(await sut.verify(keyHash)).toBeNull();
  });

  it('lets a key revoke itself but no other key', async () => {
    const { sut, keys } = setup();
    const self = '00000000-0000-4000-8000-00000000000a';
    const other = '00000000-0000-4000-8000-00000000000b';
    await expect(sut.revoke(USER.id, self, self)).resolves.toEqual({ revoked: true });
    expect(() => sut.revoke(USER.id, other, self)).toThrow(AppError);
    expect(keys.revoke).toHaveBeenCalledTimes(1);
  });

  it("asks directory whether an administrator reaches the user before revoking, and answers the user's domain", async () => {
    const { sut, keys, nats } = setup();
    const actor = { kind: 'admin' as const, userId: '00000000-0000-4000-8000-0000000000ad', domain: 'example.com' };
    const key = '00000000-0000-4000-8000-00000000000a';
    await expect(sut.revoke(USER.id, key, undefined, actor)).resolves.toEqual({ revoked: true, domain: 'example.com' });
    expect(nats.send).toHaveBeenCalledWith(DirectorySubjects.userDetailsGet, { actor, userId: USER.id }, { retries: 1 });

    nats.send.mockRejectedValueOnce(new AppError('not_found', 'No such user'));
    await expect(sut.revoke(USER.id, key, undefined, actor)).rejects.toMatchObject({ code: 'not_found' });
    expect(keys.revoke).toHaveBeenCalledTimes(1);
  });
});
