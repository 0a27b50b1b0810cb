import { toListedUserDetails, toUserDetails } from './user.mapper';

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

describe('the admin list rows and the user details', () => {
  it('orders template names and app ids as sort() does, whatever their number', () => {
    for (const names of [[], ['b'], ['b', 'a'], ['a', 'b'], ['Zeta', 'alpha'], ['c', 'a', 'b'], ['é', 'e', 'z', 'E']]) {
      const listed = toListedUserDetails({ ...profile, templates: [...names], apps: [...names], devices: [] });
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
      ...profile,
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
});
