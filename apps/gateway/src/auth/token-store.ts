import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { TokenEntry, accessTokenKey } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, LOGGER, Logger, Metrics, Redis } from '@gatehouse/platform';
import { Counter } from 'prom-client';
import type { GatewayConfig } from '../config';
import { TrackedEntries } from './tracked-entries';

/** Redis's channel for invalidations sent to another connection (RESP2 `CLIENT TRACKING … REDIRECT`). */
const INVALIDATE_CHANNEL = '__redis__:invalidate';

/**
 * The gateway's read of the access tokens `sessions` writes to Redis. Its own connection with
 * auto-pipelining: under load, concurrent lookups leave in one write instead of one each.
 *
 * Tokens read are kept in this process while Redis tracks them for it (server-assisted client-side
 * caching): Redis announces every change of a key this connection read (a revocation's DEL, a rewrite,
 * its expiry or eviction) on a second connection before the change's writer hears back, and the entry
 * is dropped then. The cache is used only while tracking is known to work: both connections up and
 * `CLIENT TRACKINGINFO` showing the redirect intact (checked every TOKEN_CACHE_CHECK_MS); otherwise every
 * lookup goes to Redis, as with TOKEN_CACHE_ENTRIES=0. An entry is never older than
 * TOKEN_CACHE_MAX_AGE_MS, a bound should tracking fail in a way nothing shows.
 */
@Injectable()
export class TokenStore implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly tracking?: TokenTracking;

  constructor(@Inject(CONFIG) config: GatewayConfig, @Inject(LOGGER) logger: Logger, metrics: Metrics) {
    this.redis = new Redis(config.REDIS_URL, {
      keyPrefix: config.REDIS_PREFIX,
      connectionName: `${config.REDIS_PREFIX}gateway-tokens`, // CLIENT LIST says whose connection it is
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    this.redis.on('error', () => undefined); // failures surface per lookup as 503
    if (config.TOKEN_CACHE_ENTRIES > 0) this.tracking = new TokenTracking(this.redis, config, logger, metrics);
  }

  /** Whether lookups are being served from this process now (tests, metrics). */
  get caching(): boolean {
    return this.tracking?.live ?? false;
  }

  /** The entry, null when Redis does not hold it; service_unavailable when Redis cannot answer. */
  async find(tokenHash: string): Promise<TokenEntry | null> {
    const tracking = this.tracking;
    if (!tracking?.live) return this.read(tokenHash);
    // An invalidation read in this same turn of the event loop is applied before a cached answer is given.
    await tracking.endOfTurn();
    const cached = tracking.entries.get(tokenHash, performance.now());
    if (cached) {
      tracking.hits++;
      return cached;
    }
    tracking.misses++;
    const ticket = tracking.entries.beginFill(tokenHash);
    let entry: TokenEntry | null;
    try {
      entry = await this.read(tokenHash);
    } catch (error) {
      tracking.entries.abandonFill(tokenHash, ticket);
      throw error;
    }
    tracking.entries.completeFill(tokenHash, ticket, entry, performance.now());
    return entry;
  }

  private async read(tokenHash: string): Promise<TokenEntry | null> {
    let raw: string | null;
    try {
      raw = await this.redis.get(accessTokenKey(tokenHash));
    } catch {
      throw new AppError('service_unavailable', 'Token store unavailable');
    }
    return raw ? parseEntry(raw) : null;
  }

  async onApplicationShutdown(): Promise<void> {
    this.tracking?.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** How often the redirect is checked (`CLIENT TRACKINGINFO`): a broken one is found within this time. */
export const TOKEN_CACHE_CHECK_MS = 1000;

/** The tracking connection pair: the reading connection's tracking redirected to a subscriber. */
class TokenTracking {
  readonly entries: TrackedEntries<TokenEntry>;
  /** Lookups answered here and from Redis: plain numbers on the hot path, handed to the counter when scraped. */
  hits = 0;
  misses = 0;
  live = false;
  /** This turn's check phase, shared by every lookup of the turn (endOfTurn). */
  private turn?: Promise<void>;
  private readonly flushes: { inc(): void };
  private readonly sizeGauge: { set(value: number): void };
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private subscriberId?: number;
  private setup?: Promise<void>;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;
  private setupFailing = false;

  constructor(
    private readonly reader: Redis,
    config: GatewayConfig,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.entries = new TrackedEntries(config.TOKEN_CACHE_ENTRIES, config.TOKEN_CACHE_MAX_AGE_MS);
    this.prefix = `${config.REDIS_PREFIX}${accessTokenKey('')}`;
    // Counted in this.hits and this.misses; what came since the last scrape is added when Prometheus scrapes.
    const name = 'gatehouse_token_cache_lookups_total';
    const counted = { hit: 0, miss: 0 };
    metrics.registry.removeSingleMetric(name);
    const lookups: Counter<'result'> = new Counter({
      name,
      help: 'Access-token lookups, by where they were answered',
      labelNames: ['result'],
      registers: [metrics.registry],
      collect: () => {
        lookups.inc({ result: 'hit' }, this.hits - counted.hit);
        lookups.inc({ result: 'miss' }, this.misses - counted.miss);
        counted.hit = this.hits;
        counted.miss = this.misses;
      },
    });
    this.flushes = metrics.counter('gatehouse_token_cache_flushes_total', 'Times the token cache was emptied (tracking lost or restarted)');
    this.sizeGauge = metrics.gauge('gatehouse_token_cache_entries', 'Access tokens held by the token cache');

    this.subscriber = new Redis(config.REDIS_URL, {
      connectionName: `${config.REDIS_PREFIX}gateway-token-invalidations`,
      enableOfflineQueue: false,
      autoResubscribe: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer[] | Buffer | null) => {
      if (channel.toString() === INVALIDATE_CHANNEL) this.invalidated(message);
    });
    this.subscriber.on('close', () => {
      this.subscriberId = undefined; // a new connection has a new id, and no subscription (autoResubscribe off)
      this.lost('the invalidation connection closed');
    });
    this.reader.on('close', () => this.lost('the reading connection closed'));
    for (const connection of [this.reader, this.subscriber]) connection.on('ready', () => void this.establish());
    this.timer = setInterval(() => void this.verify(), TOKEN_CACHE_CHECK_MS);
    this.timer.unref();
  }

  /**
   * Resolves in this turn's check phase, after every socket read of its poll phase was handled (an invalidation
   * among them). One setImmediate for all the lookups of a turn, not one each.
   */
  endOfTurn(): Promise<void> {
    return (this.turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.turn = undefined;
        resolve();
      }),
    ));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.lost();
    this.subscriber.disconnect();
  }

  /** Keys Redis says changed; null: the whole database (FLUSHDB, FLUSHALL). */
  private invalidated(message: Buffer[] | Buffer | null): void {
    if (message === null) return this.flush();
    for (const key of Array.isArray(message) ? message : [message]) {
      const name = key.toString();
      if (name.startsWith(this.prefix)) this.entries.invalidate(name.slice(this.prefix.length));
    }
  }

  private flush(): void {
    if (this.entries.size > 0) this.flushes.inc();
    this.entries.flush();
  }

  private lost(reason?: string): void {
    if (this.live && reason) this.logger.warn({ event: 'gateway.token-cache.off', reason }, 'token cache off until Redis tracks again');
    this.live = false;
    this.flush();
  }

  /** Both connections ready: the subscriber's id, its subscription, then the reader's tracking redirected to it. */
  private establish(): Promise<void> {
    if (this.stopped || this.reader.status !== 'ready' || this.subscriber.status !== 'ready') return Promise.resolve();
    this.setup ??= (async () => {
      this.lost('tracking restarted');
      try {
        if (this.subscriberId === undefined) {
          const id = Number(await this.subscriber.client('ID'));
          await this.subscriber.subscribe(INVALIDATE_CHANNEL);
          this.subscriberId = id;
        }
        const redirect = this.subscriberId;
        await this.reader.client('TRACKING', 'ON', 'REDIRECT', String(redirect));
        // Either connection may have closed meanwhile (its close handler ran): then not live, and setup runs again.
        if (this.subscriberId !== redirect || this.reader.status !== 'ready' || this.subscriber.status !== 'ready') return;
        this.entries.flush(); // nothing read before tracking began may be kept
        this.live = true;
        this.setupFailing = false;
        this.logger.info({ event: 'gateway.token-cache.on' }, 'token cache on: Redis tracks the tokens this gateway reads');
      } catch (error) {
        // Retried every TOKEN_CACHE_CHECK_MS; said once (a Redis that refuses CLIENT TRACKING would say it every second).
        if (!this.setupFailing) {
          this.logger.warn({ event: 'gateway.token-cache.setup-failed', error: (error as Error).message }, 'token cache off: retrying');
        }
        this.setupFailing = true;
      } finally {
        this.setup = undefined;
      }
    })();
    return this.setup;
  }

  /** Every TOKEN_CACHE_CHECK_MS: the redirect still points at our subscriber and is not broken. */
  private async verify(): Promise<void> {
    this.sizeGauge.set(this.entries.size);
    if (this.setup) return;
    if (!this.live) return this.establish(); // after a failed setup or check, while both connections are up
    try {
      const info: unknown = await this.reader.client('TRACKINGINFO');
      if (!Array.isArray(info)) return this.lost('tracking could not be checked');
      const field = (name: string) => info[info.indexOf(name) + 1];
      const flags = (field('flags') as unknown[]).map(String);
      if (flags.includes('on') && !flags.includes('broken_redirect') && Number(field('redirect')) === this.subscriberId) return;
      this.logger.warn({ event: 'gateway.token-cache.broken', flags }, 'Redis tracking broke: token cache restarted');
    } catch {
      return this.lost('tracking could not be checked');
    }
    this.lost();
    this.subscriber.disconnect(true); // a fresh subscriber (new id) and a new redirect, when it is ready again
  }
}

/** Entries are written only by `sessions`; a shape check (not a full schema) keeps the hot path cheap. */
function parseEntry(raw: string): TokenEntry | null {
  try {
    const entry = JSON.parse(raw) as TokenEntry;
    const ok =
      typeof entry.userId === 'string' &&
      typeof entry.sessionId === 'string' &&
      typeof entry.domain === 'string' &&
      typeof entry.username === 'string' &&
      typeof entry.admin === 'boolean' &&
      typeof entry.external === 'boolean' &&
      typeof entry.expiresAtMs === 'number';
    return ok ? entry : null;
  } catch {
    return null;
  }
}
