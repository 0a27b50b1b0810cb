import { prefixRange } from './users.repository';

describe('prefixRange', () => {
  const last = String.fromCodePoint(0x10ffff);

  it('ends before the prefix with its last code point raised by one', () => {
    expect(prefixRange('gr')).toEqual({ from: 'gr', to: 'gs' });
    expect(prefixRange('a%')).toEqual({ from: 'a%', to: 'a&' });
    expect(prefixRange('é')).toEqual({ from: 'é', to: 'ê' });
    // A code point beyond the basic plane is one step, not two UTF-16 units.
    expect(prefixRange('x\u{1F600}')).toEqual({ from: 'x\u{1F600}', to: 'x\u{1F601}' });
  });

  it('steps over the surrogates, which no string holds', () => {
    expect(prefixRange('\u{D7FF}')).toEqual({ from: '\u{D7FF}', to: '\u{E000}' });
  });

  it('drops trailing U+10FFFF first, and has no end for a prefix of U+10FFFF alone', () => {
    expect(prefixRange(`ab${last}${last}`)).toEqual({ from: `ab${last}${last}`, to: 'ac' });
    expect(prefixRange(`${last}${last}`)).toEqual({ from: `${last}${last}` });
  });

  it('holds exactly the strings that start with the prefix, in code point order', () => {
    const { from, to } = prefixRange('ab');
    const inRange = (s: string) =>
      Buffer.compare(Buffer.from(s), Buffer.from(from)) >= 0 && Buffer.compare(Buffer.from(s), Buffer.from(to!)) < 0;
    for (const s of ['ab', 'abc', `ab${last}`, 'ab\u{1F600}']) expect(inRange(s)).toBe(true);
    for (const s of ['a', 'aa\u{10FFFF}', 'ac', 'b', 'A', 'abc'.toUpperCase()]) expect(inRange(s)).toBe(false);
  });
});
