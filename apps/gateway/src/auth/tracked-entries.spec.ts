import { TrackedEntries } from './tracked-entries';

describe('TrackedEntries', () => {
  it('serves a filled value until it is invalidated', () => {
    const cache = new TrackedEntries<string>(10, 60_000);
    cache.completeFill('a', cache.beginFill('a'), 'value', 0);
    expect(cache.get('a', 1)).toBe('value');
    cache.invalidate('a');
    expect(cache.get('a', 2)).toBeUndefined();
  });

  it('does not store a reply when the key was invalidated while its GET was in flight', () => {
    const cache = new TrackedEntries<string>(10, 60_000);
    const ticket = cache.beginFill('a');
    cache.invalidate('a'); // read first, on the other connection
    cache.completeFill('a', ticket, 'older value', 0);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not store a reply that began before a flush', () => {
    const cache = new TrackedEntries<string>(10, 60_000);
    const ticket = cache.beginFill('a');
    cache.flush();
    cache.completeFill('a', ticket, 'value', 0);
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it('keeps only the latest of two fills of one key', () => {
    const cache = new TrackedEntries<string>(10, 60_000);
    const first = cache.beginFill('a');
    const second = cache.beginFill('a');
    cache.completeFill('a', first, 'first', 0);
    expect(cache.get('a', 1)).toBeUndefined();
    cache.completeFill('a', second, 'second', 0);
    expect(cache.get('a', 1)).toBe('second');
  });

  it('forgets the announcement of a fill whose GET failed, but not a later one of the same key', () => {
    const cache = new TrackedEntries<string>(10, 60_000);
    const failed = cache.beginFill('a');
    cache.abandonFill('a', failed);
    cache.completeFill('a', failed, 'value', 0); // a reply after all would not be stored
    expect(cache.get('a', 1)).toBeUndefined();
    const first = cache.beginFill('b');
    const second = cache.beginFill('b');
    cache.abandonFill('b', first);
    cache.completeFill('b', second, 'second', 0);
    expect(cache.get('b', 1)).toBe('second');
  });

  it('stores no miss', () => {
    const cache = new TrackedEntries<string>(10, 60_000);
    cache.completeFill('a', cache.beginFill('a'), null, 0);
    expect(cache.size).toBe(0);
  });

  it('asks again once an entry is older than the maximum age', () => {
    const cache = new TrackedEntries<string>(10, 1000);
    cache.completeFill('a', cache.beginFill('a'), 'value', 5000);
    expect(cache.get('a', 5999)).toBe('value');
    expect(cache.get('a', 6000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the oldest stored', () => {
    const cache = new TrackedEntries<string>(2, 60_000);
    for (const key of ['a', 'b', 'c']) cache.completeFill(key, cache.beginFill(key), key.toUpperCase(), 0);
    expect(cache.size).toBe(2);
    expect([cache.get('a', 1), cache.get('b', 1), cache.get('c', 1)]).toEqual([undefined, 'B', 'C']);
  });
});
