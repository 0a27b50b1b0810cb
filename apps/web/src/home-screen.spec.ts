import {
  addGroup,
  decodePart,
  deleteGroup,
  encodeGroupName,
  isPinned,
  itemLabel,
  itemRoute,
  pin,
  removeItem,
  toggleGroup,
  unpin,
} from './home-screen';
import { parseRoute } from './route';
import type { HomeScreenGroup } from './types';

const screen = (): HomeScreenGroup[] => [
  { name: null, collapsed: false, items: [{ app: 'chat' }] },
  { name: 'Contacts', collapsed: true, items: [{ app: 'users', query: 'id=jdo', fragment: 'd=John%20Doe&s=jdo' }, { app: 'users' }] },
];

describe('home screen edits', () => {
  it('pins to the end of the first group, opening it, and starts an unnamed group on an empty screen', () => {
    expect(pin([], 'chat')).toEqual([{ name: null, collapsed: false, items: [{ app: 'chat' }] }]);
    const collapsedFirst = toggleGroup([{ name: 'Apps', collapsed: false, items: [] }], 0);
    expect(pin(collapsedFirst, 'chat')[0]).toEqual({ name: 'Apps', collapsed: false, items: [{ app: 'chat' }] });
  });

  it('treats only the plain app as pinned: an item of the app (with query or fragment) is not the app', () => {
    const sut = screen();
    expect(isPinned(sut, 'users')).toBe(true);
    const unpinned = unpin(sut, 'users');
    expect(isPinned(unpinned, 'users')).toBe(false);
    expect(unpinned[1].items).toEqual([{ app: 'users', query: 'id=jdo', fragment: 'd=John%20Doe&s=jdo' }]);
  });

  it('drops the unnamed group once it is empty (the stored string cannot hold it), keeps empty named groups', () => {
    expect(removeItem(screen(), 0, 0).map((g) => g.name)).toEqual(['Contacts']);
    expect(unpin(removeItem(screen(), 1, 0), 'users')).toEqual([
      { name: null, collapsed: false, items: [{ app: 'chat' }] },
      { name: 'Contacts', collapsed: true, items: [] },
    ]);
  });

  it('adds groups with the separators percent-encoded, shows them decoded, and deletes them', () => {
    const sut = addGroup(screen(), ' :Team, 100% ');
    expect(sut[2].name).toBe('%3ATeam%2C 100%25');
    expect(decodePart(sut[2].name!)).toBe(':Team, 100%');
    expect(encodeGroupName('a\u0007b')).toBe('a%07b');
    expect(deleteGroup(sut, 2)).toEqual(screen());
  });

  it('names an item by its d= fragment, else by its app, and routes to it with query and fragment intact', () => {
    const [plain, contact] = [screen()[0].items[0], screen()[1].items[0]];
    expect(itemLabel(contact, 'Users')).toBe('John Doe');
    expect(itemLabel(plain, 'Chat')).toBe('Chat');
    expect(itemLabel(plain, undefined)).toBe('chat');
    expect(parseRoute(itemRoute(contact))).toEqual({ name: 'app', appId: 'users', query: 'id=jdo', fragment: 'd=John%20Doe&s=jdo' });
    expect(parseRoute(itemRoute(plain))).toEqual({ name: 'app', appId: 'chat', query: undefined, fragment: undefined });
  });

  it('reads the other routes, and anything else as home', () => {
    expect(parseRoute('#/security')).toEqual({ name: 'security' });
    expect(parseRoute('#/apps')).toEqual({ name: 'apps' });
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'home' });
  });
});
