import type { HomeScreenGroup, HomeScreenItem } from './types';

/**
 * Edits of the home screen's structured form (`groups` of GET|PUT /me/homescreen). The server
 * parses, checks and stores; these only say what the user changed. An unnamed group can only come
 * first and must hold items, as in the stored string.
 */
type Groups = HomeScreenGroup[];

const isPlain = (item: HomeScreenItem, appId: string) => item.app === appId && item.query === undefined && item.fragment === undefined;
const withoutEmptyUnnamed = (groups: Groups): Groups => groups.filter((group) => group.name !== null || group.items.length > 0);

export const isPinned = (groups: Groups, appId: string): boolean =>
  groups.some((group) => group.items.some((item) => isPlain(item, appId)));

/** "Home symbol" in All apps: the app goes to the end of the first group. */
export function pin(groups: Groups, appId: string): Groups {
  if (groups.length === 0) return [{ name: null, collapsed: false, items: [{ app: appId }] }];
  return groups.map((group, index) => (index === 0 ? { ...group, collapsed: false, items: [...group.items, { app: appId }] } : group));
}

export function unpin(groups: Groups, appId: string): Groups {
  return withoutEmptyUnnamed(groups.map((group) => ({ ...group, items: group.items.filter((item) => !isPlain(item, appId)) })));
}

export function removeItem(groups: Groups, groupIndex: number, itemIndex: number): Groups {
  return withoutEmptyUnnamed(
    groups.map((group, g) => (g === groupIndex ? { ...group, items: group.items.filter((_, i) => i !== itemIndex) } : group)),
  );
}

export function addItem(groups: Groups, groupIndex: number, appId: string): Groups {
  return groups.map((group, g) => (g === groupIndex ? { ...group, items: [...group.items, { app: appId }] } : group));
}

export function toggleGroup(groups: Groups, groupIndex: number): Groups {
  return groups.map((group, g) => (g === groupIndex ? { ...group, collapsed: !group.collapsed } : group));
}

export function addGroup(groups: Groups, name: string): Groups {
  return [...groups, { name: encodeGroupName(name), collapsed: false, items: [] }];
}

export function deleteGroup(groups: Groups, groupIndex: number): Groups {
  return groups.filter((_, g) => g !== groupIndex);
}

// The stored string separates entries with commas and starts groups with colons: those, '%' and
// control characters are percent-encoded; names are shown decoded.
export const encodeGroupName = (name: string): string =>
  name.trim().replace(/^:|[%,\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

export function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** An item's own name (`d=` in the fragment, as in `users?id=jdo#d=John%20Doe`), else the app's. */
export function itemLabel(item: HomeScreenItem, appName: string | undefined): string {
  const named = item.fragment !== undefined ? new URLSearchParams(item.fragment).get('d') : null;
  return named || appName || item.app;
}

/** The client's route that opens an item: the app with the item's query and fragment. */
export function itemRoute(item: HomeScreenItem): string {
  const extra = new URLSearchParams();
  if (item.query !== undefined) extra.set('q', item.query);
  if (item.fragment !== undefined) extra.set('f', item.fragment);
  const query = extra.toString();
  return `#/app/${encodeURIComponent(item.app)}${query ? `?${query}` : ''}`;
}
