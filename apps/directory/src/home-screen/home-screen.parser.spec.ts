import fc from 'fast-check';
import { AppError } from '@gatehouse/errors';
import { homeScreenArbitrary, homeScreenLikeString } from './home-screen.arbitraries';
import { filterHomeScreen, HomeScreen, parseHomeScreen, serializeHomeScreen } from './home-screen.parser';

const SEED_EXAMPLE = ':Apps,chat,users,::Contacts,users?id=jdo#d=John%20Doe&s=jdo';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not-an-app-error';
  }
  return 'no-error';
};

describe('home screen parser', () => {
  it('parses the seed example into its groups and items', () => {
    const sut = parseHomeScreen(SEED_EXAMPLE);
    expect(sut).toEqual({
      groups: [
        { name: 'Apps', collapsed: false, items: [{ app: 'chat' }, { app: 'users' }] },
        { name: 'Contacts', collapsed: true, items: [{ app: 'users', query: 'id=jdo', fragment: 'd=John%20Doe&s=jdo' }] },
      ],
    });
  });

  it('serialises the seed example back byte for byte', () => {
    expect(serializeHomeScreen(parseHomeScreen(SEED_EXAMPLE))).toBe(SEED_EXAMPLE);
  });

  it('accepts the empty string as an empty home screen', () => {
    expect(parseHomeScreen('')).toEqual({ groups: [] });
    expect(serializeHomeScreen({ groups: [] })).toBe('');
  });

  it('keeps items before the first group in an unnamed group', () => {
    const raw = 'chat,:Work,users';
    expect(parseHomeScreen(raw).groups[0]).toEqual({ name: null, collapsed: false, items: [{ app: 'chat' }] });
    expect(serializeHomeScreen(parseHomeScreen(raw))).toBe(raw);
  });

  it('refuses 8 KB + 1 byte and accepts exactly 8 KB', () => {
    const exact = `:${'a'.repeat(8191)}`;
    expect(parseHomeScreen(exact).groups).toHaveLength(1);
    expect(codeOf(() => parseHomeScreen(`${exact}b`))).toBe('homescreen_too_large');
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const exact = `:${'é'.repeat(4095)}a`; // 1 + 8190 + 1 bytes
    expect(Buffer.byteLength(exact)).toBe(8192);
    expect(parseHomeScreen(exact).groups).toHaveLength(1);
    expect(codeOf(() => parseHomeScreen(`${exact}a`))).toBe('homescreen_too_large');
  });

  it.each(['chat,,users', ',chat', 'chat,', ':', '::', ':::x', 'bad app', 'users?x=%zz', 'users#%4', 'ch\u0001at', '?q'])(
    'rejects malformed %j',
    (raw) => {
      expect(codeOf(() => parseHomeScreen(raw))).toBe('homescreen_malformed');
    },
  );

  it('rejects a structured form whose unnamed group is not first', () => {
    const screen: HomeScreen = {
      groups: [
        { name: 'A', collapsed: false, items: [] },
        { name: null, collapsed: false, items: [{ app: 'x' }] },
      ],
    };
    expect(codeOf(() => serializeHomeScreen(screen))).toBe('homescreen_malformed');
  });

  it('drops items of apps the user may no longer use', () => {
    const sut = filterHomeScreen(parseHomeScreen(SEED_EXAMPLE), (app) => app !== 'users');
    expect(serializeHomeScreen(sut)).toBe(':Apps,chat,::Contacts');
  });

  it('round-trips every generated home screen', () => {
    fc.assert(
      fc.property(homeScreenArbitrary, (generated) => {
        const raw = serializeHomeScreen(generated);
        expect(parseHomeScreen(raw)).toEqual(generated);
        expect(serializeHomeScreen(parseHomeScreen(raw))).toBe(raw);
      }),
    );
  });

  it('never crashes on arbitrary strings: it parses and round-trips, or throws a home screen AppError', () => {
    fc.assert(
      fc.property(homeScreenLikeString, (raw) => {
        const code = codeOf(() => expect(serializeHomeScreen(parseHomeScreen(raw))).toBe(raw));
        expect(['no-error', 'homescreen_malformed', 'homescreen_too_large']).toContain(code);
      }),
      { numRuns: 500 },
    );
  });
});
