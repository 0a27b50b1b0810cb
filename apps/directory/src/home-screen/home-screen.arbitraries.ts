import fc from 'fast-check';
import type { HomeScreen } from './home-screen.parser';

/** Test data only (fast-check): valid home screens, and strings shaped like home screens but often broken. */

const part = fc
  .array(fc.oneof(fc.constantFrom('a', 'Z', '9', '=', '&', ' ', 'é', '?', '/', '#'), fc.constantFrom('%20', '%2C', '%aF')), {
    maxLength: 6,
  })
  .map((chars) => chars.join(''));

const item = fc.record(
  {
    app: fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/),
    query: part.map((q) => q.replace(/#/g, '')),
    fragment: part,
  },
  { requiredKeys: ['app'] },
);

const groupName = part.filter((n) => n.length > 0 && !n.startsWith(':'));

/** Any valid structured home screen: an optional unnamed first group, then named (maybe collapsed) groups. */
export const homeScreenArbitrary = fc
  .tuple(
    fc.array(item, { maxLength: 3 }),
    fc.array(fc.record({ name: groupName, collapsed: fc.boolean(), items: fc.array(item, { maxLength: 3 }) }), { maxLength: 4 }),
  )
  .map(([loose, named]): HomeScreen => ({
    groups: [...(loose.length > 0 ? [{ name: null, collapsed: false, items: loose }] : []), ...named],
  }));

/** Arbitrary text, binary-ish text, and strings of the format's own punctuation. */
export const homeScreenLikeString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(':', ',', '?', '#', '%', 'a', '2') }),
);
