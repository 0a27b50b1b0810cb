import { Language, Languages, User, UserDetails } from '@gatehouse/contracts';
import type { UserDetailsRow, UserListRow, UserProfileRow } from './users.repository';

const asLanguage = (value: string): Language => ((Languages as readonly string[]).includes(value) ? (value as Language) : 'en');

export const toUser = (row: UserProfileRow): User => withCreatedAt(row, row.createdAt.toISOString());

const withCreatedAt = (row: Omit<UserProfileRow, 'createdAt'>, createdAt: string): User => ({
  id: row.id,
  domain: row.domain,
  username: row.username,
  email: row.email,
  displayName: row.displayName,
  language: asLanguage(row.language),
  admin: row.admin,
  external: row.external,
  createdAt,
});

/** PostgreSQL's text of a timestamp (DateStyle ISO, which the pg driver needs anyway): fraction digits, zeros trimmed, if any. */
const TIMESTAMP_TEXT = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?( BC)?$/;

/**
 * A UTC timestamp as PostgreSQL writes it, as Date's toISOString() writes the same instant (milliseconds, `Z`). The
 * common shape (four-digit year, at most three fraction digits: the columns are timestamptz(3)) by slicing, without a
 * pattern; any other through a Date.
 */
export function isoFromUtcText(text: string): string {
  const n = text.length;
  const plain = n >= 19 && n <= 23 && n !== 20 && text[4] === '-' && text[10] === ' ' && (n === 19 || text[19] === '.');
  if (plain) return `${text.slice(0, 10)}T${text.slice(11, 19)}.${n === 19 ? '000' : `${text.slice(20)}00`.slice(0, 3)}Z`;
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) throw new Error(`not a timestamp: ${text}`);
  const [, year, month, day, hours, minutes, seconds, fraction = '', bc] = match;
  const date = new Date(0);
  date.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), Number(`${fraction}000`.slice(0, 3)));
  return date.toISOString();
}

/**
 * Sorted in place, as sort() orders strings (by UTF-16 code units, which `>` compares too). A list of up to two (most
 * users' templates and apps) is not handed to sort(): V8 allocates a work array per call, 800 bytes for two names, and
 * the list's 50 rows made it a tenth of what a search allocated in directory.
 */
const sortedNames = (names: string[]): string[] => {
  if (names.length > 2) return names.sort();
  if (names.length === 2 && names[0] > names[1]) {
    const first = names[1];
    names[1] = names[0];
    names[0] = first;
  }
  return names;
};
const sortedDevices = (devices: { device: string; app: string }[]) =>
  devices.length < 2 ? devices : devices.sort((a, b) => a.device.localeCompare(b.device) || a.app.localeCompare(b.app));

/** The SIP URI is derived, never stored: `sip:name@domain`. */
export const toUserDetails = (row: UserDetailsRow): UserDetails =>
  withPermissions(
    toUser(row),
    row.templates.map((t) => t.template.name),
    row.appGrants.map((g) => g.app.appId),
    row.deviceAppsUsed.map((d) => ({ device: d.device, app: d.app.appId })),
  );

/** A row of the admin list (UsersRepository.list: the permissions as flat JSON arrays, the creation time as text). */
export const toListedUserDetails = (row: UserListRow): UserDetails =>
  withPermissions(withCreatedAt(row, isoFromUtcText(row.createdAt)), row.templates, row.apps, row.devices);

const withPermissions = (user: User, templates: string[], apps: string[], devices: { device: string; app: string }[]): UserDetails => ({
  ...user,
  sipUri: `sip:${user.username}@${user.domain}`,
  templates: sortedNames(templates),
  apps: sortedNames(apps),
  devices: sortedDevices(devices),
});
