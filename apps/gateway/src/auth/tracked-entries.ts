/**
 * The bookkeeping of a cache that Redis keeps true (server-assisted client-side caching, `CLIENT TRACKING`):
 * what may be served, and what a reply may still store. No I/O here (tracked-token-cache.ts does that).
 *
 * The one race of such a cache: a GET's reply and the invalidation of the same key arrive on two
 * connections, so the invalidation can be read first and the older reply stored after it. A fill is
 * therefore announced before its GET is sent (`beginFill`), an invalidation or a flush cancels it, and
 * `completeFill` stores the reply only while that announcement still stands (Redis's documented remedy).
 */
export class TrackedEntries<V> {
  private readonly entries = new Map<string, { value: V; storedAtMs: number }>();
  private readonly fills = new Map<string, object>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value while it is known true and younger than maxAgeMs; undefined means "ask Redis". */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (nowMs - entry.storedAtMs < this.maxAgeMs) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Before the GET is sent: the ticket completeFill needs. */
  beginFill(key: string): object {
    const ticket = {};
    this.fills.set(key, ticket);
    return ticket;
  }

  /** The GET's reply: stored only if no invalidation or flush came since beginFill (and no later fill took over). */
  completeFill(key: string, ticket: object, value: V | null, nowMs: number): void {
    if (this.fills.get(key) !== ticket) return;
    this.fills.delete(key);
    if (value === null) return;
    if (this.entries.size >= this.maxEntries) {
      // The oldest stored first (a Map keeps insertion order): no bookkeeping per read on the hot path.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, storedAtMs: nowMs });
  }

  /** The GET failed: its announcement is withdrawn (unless a later fill of the key took over). */
  abandonFill(key: string, ticket: object): void {
    if (this.fills.get(key) === ticket) this.fills.delete(key);
  }

  /** A key Redis says changed (or was evicted from its tracking table). */
  invalidate(key: string): void {
    this.entries.delete(key);
    this.fills.delete(key);
  }

  /** Everything forgotten: tracking lost, re-established, or the database flushed. */
  flush(): void {
    this.entries.clear();
    this.fills.clear();
  }
}
