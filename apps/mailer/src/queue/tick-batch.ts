/**
 * Coalesces calls into batches: mails requested or finished together are stored with one statement or
 * one Redis round trip instead of one each. `run` answers one result per item, in order; when it throws,
 * every caller of that batch gets the error (each one is retried on its own as before).
 *
 * A batch starts at the end of the turn of the event loop its first call came in (setImmediate), or at
 * once when `max` items wait. Under load two options make batches larger and fewer:
 * - `inFlight`: at most that many batches run at a time; the calls made meanwhile wait and go together
 *   when one finishes, so a batch grows with the time the previous one took (a commit's flush to disk);
 * - `spacingMs`: a batch starts no sooner than this after the previous one started (a lone call after a
 *   quiet spell still goes at once).
 */
export class TickBatch<T, R> {
  private pending: Array<{ item: T; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;
  private running = 0;
  private lastStart = -Infinity;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly max = 200,
    private readonly inFlight = Infinity,
    private readonly spacingMs = 0,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.max) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.inFlight || this.pending.length === 0) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      // a timer may fire up to a millisecond before performance.now() says its time has come (libuv's clock is whole ms)
      if (this.lastStart + this.spacingMs > performance.now()) this.schedule();
      else this.flush();
    };
    const wait = this.lastStart + this.spacingMs - performance.now();
    if (wait > 0) setTimeout(start, wait);
    else setImmediate(start);
  }

  private flush(): void {
    if (this.pending.length === 0 || this.running >= this.inFlight) return;
    const batch = this.pending.slice(0, this.max);
    this.pending = this.pending.slice(batch.length);
    this.running++;
    this.lastStart = performance.now();
    let results: Promise<R[]>;
    try {
      results = this.run(batch.map((entry) => entry.item));
    } catch (error) {
      results = Promise.reject(error);
    }
    results
      .then(
        (answers) => batch.forEach((entry, i) => entry.resolve(answers[i]!)),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .finally(() => {
        this.running--;
        // the calls that waited for this batch go next: at once, or once the spacing has passed
        if (this.pending.length >= this.max) this.flush();
        else if (!this.scheduled && this.lastStart + this.spacingMs <= performance.now()) this.flush();
        else this.schedule();
      });
  }
}
