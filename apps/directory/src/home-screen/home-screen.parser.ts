import { AppError } from '@gatehouse/errors';

/** The stored string is limited to 8 KB (seed 000, "Storage and format"). */
export const HOME_SCREEN_MAX_BYTES = 8192;

export interface HomeScreenItem {
  app: string;
  /** Raw (still percent-encoded) text after '?'; undefined when there is no '?'. */
  query?: string;
  /** Raw (still percent-encoded) text after '#'; undefined when there is no '#'. */
  fragment?: string;
}

export interface HomeScreenGroup {
  /** Raw group name; null only for items placed before the first group. */
  name: string | null;
  collapsed: boolean;
  items: HomeScreenItem[];
}

export interface HomeScreen {
  groups: HomeScreenGroup[];
}

const APP_ID = /^[A-Za-z0-9._~-]+$/;
// Any printable text without the separator; every '%' must start a valid escape so decoding never fails.
const PART = /^(?:[^\u0000-\u001f\u007f,%]|%[0-9A-Fa-f]{2})*$/;

const malformed = (message: string) => new AppError('homescreen_malformed', message);

function checkSize(raw: string): void {
  if (Buffer.byteLength(raw, 'utf8') > HOME_SCREEN_MAX_BYTES) {
    throw new AppError('homescreen_too_large', `The home screen is limited to ${HOME_SCREEN_MAX_BYTES} bytes`);
  }
}

function parseItem(token: string): HomeScreenItem {
  const hash = token.indexOf('#');
  const beforeHash = hash < 0 ? token : token.slice(0, hash);
  const question = beforeHash.indexOf('?');
  const app = question < 0 ? beforeHash : beforeHash.slice(0, question);
  const item: HomeScreenItem = { app };
  if (question >= 0) item.query = beforeHash.slice(question + 1);
  if (hash >= 0) item.fragment = token.slice(hash + 1);
  validateItem(item);
  return item;
}

function validateItem(item: HomeScreenItem): void {
  if (!APP_ID.test(item.app)) throw malformed(`Invalid app id in home screen item`);
  if (item.query !== undefined && (!PART.test(item.query) || item.query.includes('#'))) {
    throw malformed('Invalid query in home screen item');
  }
  if (item.fragment !== undefined && !PART.test(item.fragment)) throw malformed('Invalid fragment in home screen item');
}

function validateGroupName(name: string): void {
  if (name.length === 0 || name.startsWith(':') || !PART.test(name)) throw malformed('Invalid group name');
}

/** Parses the raw comma-separated form; throws homescreen_too_large / homescreen_malformed. */
export function parseHomeScreen(raw: string): HomeScreen {
  checkSize(raw);
  const groups: HomeScreenGroup[] = [];
  if (raw === '') return { groups };
  for (const token of raw.split(',')) {
    if (token === '') throw malformed('Empty entry in home screen');
    if (token.startsWith(':')) {
      const collapsed = token.startsWith('::');
      const name = token.slice(collapsed ? 2 : 1);
      validateGroupName(name);
      groups.push({ name, collapsed, items: [] });
      continue;
    }
    if (groups.length === 0) groups.push({ name: null, collapsed: false, items: [] });
    groups[groups.length - 1].items.push(parseItem(token));
  }
  return { groups };
}

const itemText = (item: HomeScreenItem) =>
  item.app + (item.query !== undefined ? `?${item.query}` : '') + (item.fragment !== undefined ? `#${item.fragment}` : '');

/** Serialises the structured form; the inverse of parseHomeScreen for every string it accepts. */
export function serializeHomeScreen(screen: HomeScreen): string {
  const tokens: string[] = [];
  screen.groups.forEach((group, index) => {
    if (group.name === null) {
      // An unnamed group has no marker, so it can only come first and must hold items to survive a round trip.
      if (index !== 0 || group.items.length === 0) throw malformed('Only a non-empty first group may be unnamed');
    } else {
      validateGroupName(group.name);
      tokens.push(`${group.collapsed ? '::' : ':'}${group.name}`);
    }
    for (const item of group.items) {
      validateItem(item);
      tokens.push(itemText(item));
    }
  });
  const raw = tokens.join(',');
  checkSize(raw);
  return raw;
}

/** Keeps only items whose app passes `allowed` (apps the user lost permission for are not shown). */
export function filterHomeScreen(screen: HomeScreen, allowed: (appId: string) => boolean): HomeScreen {
  return {
    groups: screen.groups
      .map((group) => ({ ...group, items: group.items.filter((item) => allowed(item.app)) }))
      .filter((group) => group.name !== null || group.items.length > 0),
  };
}
