import { TickBatch } from './tick-batch';

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
});
