import { TickBatch } from './tick-batch';

/** One batch in flight at a time; the first is held until `finish()` is called. */
function oneInFlightFirstHeld(max: number) {
  const batches: number[][] = [];
  let release!: () => void;
  const sut = new TickBatch<number, number>(
    async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items;
    },
    max,
    1,
  );
  return { sut, batches, finish: () => release() };
}

describe('TickBatch', () => {
  it('runs the calls of one turn of the event loop as one batch, in order, and the next turn as another', async () => {
    const batches: number[][] = [];
    const batch = new TickBatch<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => n * 10);
    });
    const first = await Promise.all([batch.add(1), batch.add(2), batch.add(3)]);
    const second = await batch.add(4);
    expect(first).toEqual([10, 20, 30]);
    expect(second).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('runs a full batch at once', async () => {
    const batches: number[][] = [];
    const batch = new TickBatch<number, void>(async (items) => {
      batches.push(items);
      return items.map(() => undefined);
    }, 2);
    await Promise.all([batch.add(1), batch.add(2), batch.add(3)]);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('fails every call of a failed batch, and the next batch runs again', async () => {
    let fail = true;
    const batch = new TickBatch<number, number>((items) => {
      if (fail) throw new Error('down');
      return Promise.resolve(items);
    });
    const failed = await Promise.allSettled([batch.add(1), batch.add(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batch.add(3)).resolves.toBe(3);
  });

  it('with one batch in flight, gathers the calls made meanwhile into the next batch', async () => {
    const { sut, batches, finish } = oneInFlightFirstHeld(200);
    const first = sut.add(1);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch runs
    const later = [sut.add(2), sut.add(3)];
    await new Promise((resolve) => setImmediate(resolve));
    const more = sut.add(4); // a later turn, still while the first batch runs
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    finish();
    await expect(Promise.all([first, ...later, more])).resolves.toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('with one batch in flight, splits what waited into batches of at most max', async () => {
    const { sut, batches, finish } = oneInFlightFirstHeld(2);
    const all = [1, 2, 3, 4, 5].map((n) => sut.add(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2]]);
    finish();
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('with a spacing, starts a batch no sooner than that after the previous one, and a lone call after a quiet spell at once', async () => {
    const starts: Array<{ items: number[]; at: number }> = [];
    const sut = new TickBatch<number, number>(
      async (items) => {
        starts.push({ items, at: performance.now() });
        return items;
      },
      200,
      1,
      30,
    );
    await sut.add(1);
    const [, second] = await Promise.all([sut.add(2), new Promise((resolve) => setTimeout(resolve, 5)).then(() => sut.add(3))]);
    expect(second).toBe(3);
    expect(starts.map((s) => s.items)).toEqual([[1], [2, 3]]);
    expect(starts[1]!.at - starts[0]!.at).toBeGreaterThanOrEqual(29);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const quiet = performance.now();
    await sut.add(4);
    expect(starts[2]!.at - quiet).toBeLessThan(25);
  });
});
