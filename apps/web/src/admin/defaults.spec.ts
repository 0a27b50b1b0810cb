import { formatDefaults, parseDefaults } from './defaults';

describe('myApps client defaults as lines', () => {
  it('reads numbers, true, false and null as such and the rest as text', () => {
    expect(parseDefaults('theme = dark\nretries = 3\n\nbeta=true\nproxy = null\ngreeting = a = b')).toEqual({
      theme: 'dark',
      retries: 3,
      beta: true,
      proxy: null,
      greeting: 'a = b',
    });
  });

  it('writes what reads back as the same values, text that looks like a number included', () => {
    const defaults = { theme: 'dark', retries: 3, beta: false, proxy: null, pin: '0042', code: '12', quoted: '"x"', empty: '' };
    expect(formatDefaults(defaults)).toContain('code = "12"');
    expect(parseDefaults(formatDefaults(defaults))).toEqual(defaults);
  });
});
