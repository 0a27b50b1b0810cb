import { Language, Languages, User, UserDetails } from '@gatehouse/contracts';
import type { UserDetailsRow, UserListRow, UserProfileRow } from './users.repository';

const asLanguage = (value: string): Language => ((Languages as readonly string[]).includes(value) ? (value as Language) : 'en');

export const toUser = (row: UserProfileRow): User => ({
  id: row.id,
  domain: row.domain,
  username: row.username,
  email: row.email,
  displayName: row.displayName,
  language: asLanguage(row.language),
  admin: row.admin,
  external: row.external,
  createdAt: row.createdAt.toISOString(),
});

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
    row,
    row.templates.map((t) => t.template.name),
    row.appGrants.map((g) => g.app.appId),
    row.deviceAppsUsed.map((d) => ({ device: d.device, app: d.app.appId })),
  );

/** A row of the admin list (UsersRepository.list: the permissions as flat JSON arrays). */
export const toListedUserDetails = (row: UserListRow): UserDetails => withPermissions(row, row.templates, row.apps, row.devices);

const withPermissions = (
  row: UserProfileRow,
  templates: string[],
  apps: string[],
  devices: { device: string; app: string }[],
): UserDetails => ({
  ...toUser(row),
  sipUri: `sip:${row.username}@${row.domain}`,
  templates: sortedNames(templates),
  apps: sortedNames(apps),
  devices: sortedDevices(devices),
});
