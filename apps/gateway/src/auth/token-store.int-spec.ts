import { randomBytes } from 'node:crypto';
import { accessTokenKey, type TokenEntry } from '@gatehouse/contracts';
import { Metrics, Redis, createLogger } from '@gatehouse/platform';
import { testServers, waitFor } from '@gatehouse/testing';
import { loadGatewayConfig } from '../config';
import { TokenStore } from './token-store';

/** The gateway's token cache against the real Redis: kept true by CLIENT TRACKING, off while tracking is not known to work. */
describe('TokenStore with its token cache (real Redis)', () => {
  const prefix = `ghtest:${randomBytes(6).toString('hex')}:`;
  const { redisUrl } = testServers();
  const writer = new Redis(redisUrl, { keyPrefix: prefix }); // plays `sessions`
  const admin = new Redis(redisUrl);
  const metrics = new Metrics('gateway-test');
  const store = new TokenStore(
    loadGatewayConfig({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, TOKEN_CACHE_ENTRIES: '100', TOKEN_CACHE_MAX_AGE_MS: '60000' }),
    createLogger({ service: 'gateway-test', level: 'silent' }),
    metrics,
  );
  const entry = (username: string): TokenEntry => ({
    userId: 'u1',
    sessionId: 's1',
    domain: 'example.com',
    username,
    admin: false,
    external: false,
    expiresAtMs: Date.now() + 3_600_000,
  });
  const put = (hash: string, value: TokenEntry) => writer.set(accessTokenKey(hash), JSON.stringify(value), 'PX', 3_600_000);
  const lookups = async (result: 'hit' | 'miss'): Promise<number> => {
    const metric = await metrics.registry.getSingleMetric('gatehouse_token_cache_lookups_total')!.get();
    return metric.values.find((v) => v.labels.result === result)?.value ?? 0;
  };
  /** The ids of this store's connections, found by their names (other test files' gateways share this Redis). */
  const connectionId = async (name: 'gateway-tokens' | 'gateway-token-invalidations'): Promise<string> => {
    const line = String(await admin.client('LIST'))
      .split('\n')
      .find((l) => l.includes(` name=${prefix}${name} `))!;
    return /id=(\d+)/.exec(line)![1];
  };

  beforeAll(async () => {
    await waitFor(() => store.caching, { timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await store.onApplicationShutdown();
    writer.disconnect();
    admin.disconnect();
  });

  it('answers a token it has read from itself, and forgets it when Redis changes the key', async () => {
    await put('t1', entry('alice'));
    expect(await store.find('t1')).toMatchObject({ username: 'alice' });
    const hits = await lookups('hit');
    expect(await store.find('t1')).toMatchObject({ username: 'alice' });
    expect(await lookups('hit')).toBe(hits + 1);

    await writer.del(accessTokenKey('t1')); // a revocation
    await waitFor(async () => (await store.find('t1')) === null, { timeoutMs: 1000 });
    await put('t1', entry('alice again')); // rewritten: the new value, not the old one
    await waitFor(async () => (await store.find('t1'))?.username === 'alice again', { timeoutMs: 1000 });
  });

  it('never keeps a token Redis does not hold', async () => {
    expect(await store.find('missing')).toBeNull();
    await put('missing', entry('bob'));
    expect(await store.find('missing')).toMatchObject({ username: 'bob' });
  });

  it('turns itself off when the invalidation connection is cut, and on again with nothing kept from before', async () => {
    await put('t2', entry('carol'));
    expect(await store.find('t2')).toMatchObject({ username: 'carol' });
    const id = await connectionId('gateway-token-invalidations');

    await admin.client('KILL', 'ID', id);
    await waitFor(() => !store.caching, { timeoutMs: 5000 });
    // Changed while nobody listened for invalidations: must not be answered from before.
    await put('t2', entry('carol changed'));
    await waitFor(() => store.caching, { timeoutMs: 10_000 });
    expect(await connectionId('gateway-token-invalidations')).not.toBe(id);
    expect(await store.find('t2')).toMatchObject({ username: 'carol changed' });
    await writer.del(accessTokenKey('t2'));
    await waitFor(async () => (await store.find('t2')) === null, { timeoutMs: 1000 });
  });

  it('turns itself off when the reading connection is cut (its tracking is gone with it)', async () => {
    await put('t3', entry('dave'));
    expect(await store.find('t3')).toMatchObject({ username: 'dave' });
    await admin.client('KILL', 'ID', await connectionId('gateway-tokens'));
    await waitFor(() => !store.caching, { timeoutMs: 5000 });
    await put('t3', entry('dave changed'));
    await waitFor(() => store.caching, { timeoutMs: 10_000 });
    expect(await store.find('t3')).toMatchObject({ username: 'dave changed' });
  });
});
