import { isoFromUtcText, toListedUserDetails, toUserDetails } from './user.mapper';

const profile = {
  id: '5d0b6a8e-3a55-4c8a-9a53-1c2f2a0d7f11',
  domain: 'example.com',
  username: 'greta',
  email: null,
  displayName: 'Greta',
  language: 'de',
  admin: false,
  external: false,
  createdAt: new Date('2026-12-06T12:00:00Z'),
};

/** The same user as a row of the admin list: the creation time as PostgreSQL writes it in UTC. */
const listProfile = { ...profile, createdAt: '2026-12-06 12:00:00' };

describe('the admin list rows and the user details', () => {
  it('orders template names and app ids as sort() does, whatever their number', () => {
    for (const names of [[], ['b'], ['b', 'a'], ['a', 'b'], ['Zeta', 'alpha'], ['c', 'a', 'b'], ['é', 'e', 'z', 'E']]) {
      const listed = toListedUserDetails({ ...listProfile, templates: [...names], apps: [...names], devices: [] });
      expect(listed.templates).toEqual([...names].sort());
      expect(listed.apps).toEqual([...names].sort());
    }
  });

  it('answers the same user from a list row and from a details row', () => {
    const devices = [
      { device: 'phone', app: 'softphone' },
      { device: 'desk phone', app: 'softphone' },
      { device: 'desk phone', app: 'chat' },
    ];
    const listed = toListedUserDetails({
      ...listProfile,
      templates: ['Staff', 'Office'],
      apps: ['users', 'chat', 'app'],
      devices: [...devices],
    });
    const details = toUserDetails({
      ...profile,
      updatedAt: profile.createdAt,
      homeScreen: '',
      usernameKey: 'greta',
      emailKey: null,
      displayNameKey: 'greta',
      templates: [{ template: { name: 'Staff' } }, { template: { name: 'Office' } }],
      appGrants: [{ app: { appId: 'users' } }, { app: { appId: 'chat' } }, { app: { appId: 'app' } }],
      deviceAppsUsed: devices.map((d) => ({ device: d.device, app: { appId: d.app } })),
    });
    expect(listed).toEqual(details);
    expect(listed).toMatchObject({
      sipUri: 'sip:greta@example.com',
      templates: ['Office', 'Staff'],
      apps: ['app', 'chat', 'users'],
      devices: [
        { device: 'desk phone', app: 'chat' },
        { device: 'desk phone', app: 'softphone' },
        { device: 'phone', app: 'softphone' },
      ],
    });
  });

  it("writes PostgreSQL's UTC text of a timestamp as toISOString() writes the same instant", () => {
    const cases: [string, string][] = [
      ['2026-12-06 12:34:56.789', '2026-12-06T12:34:56.789Z'],
      ['2026-12-06 12:34:56.78', '2026-12-06T12:34:56.780Z'],
      ['2026-12-06 12:34:56.7', '2026-12-06T12:34:56.700Z'],
      ['2026-12-06 12:34:56', '2026-12-06T12:34:56.000Z'],
      ['2026-12-06 12:34:56.789123', '2026-12-06T12:34:56.789Z'],
      ['0099-01-02 03:04:05.006', '0099-01-02T03:04:05.006Z'],
      ['12026-01-01 00:00:00', '+012026-01-01T00:00:00.000Z'],
      ['0044-03-15 12:00:00 BC', '-000043-03-15T12:00:00.000Z'],
    ];
    for (const [text, iso] of cases) {
      expect(isoFromUtcText(text)).toBe(iso);
      // The instant the text names (Date parses a four-digit year only): what the old path's Date said.
      if (/^\d{4}-/.test(text) && !text.endsWith('BC'))
        expect(isoFromUtcText(text)).toBe(new Date(`${text.replace(' ', 'T').slice(0, 23)}Z`).toISOString());
    }
    expect(() => isoFromUtcText('infinity')).toThrow('not a timestamp');
  });
});
