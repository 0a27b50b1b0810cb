/**
 * Coalesces the calls made in one turn of the event loop into one call of `run` with all their items
 * (flushed on setImmediate, or at once when `max` items wait): mails requested together are stored with
 * one statement or one Redis round trip instead of one each. `run` answers one result per item, in order;
 * when it throws, every caller of that batch gets the error (each one is retried on its own as before).
 */
export class TickBatch<T, R> {
  private pending: Array<{ item: T; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly max = 200,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.max) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: Promise<R[]>;
    try {
      results = this.run(batch.map((entry) => entry.item));
    } catch (error) {
      results = Promise.reject(error);
    }
    results.then(
      (answers) => batch.forEach((entry, i) => entry.resolve(answers[i]!)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
