import { Language, Languages, User, UserDetails } from '@gatehouse/contracts';
import type { UserDetailsRow, UserRow } from './users.repository';

const asLanguage = (value: string): Language => ((Languages as readonly string[]).includes(value) ? (value as Language) : 'en');

export const toUser = (row: UserRow): User => ({
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

/** The SIP URI is derived, never stored: `sip:name@domain`. */
export const toUserDetails = (row: UserDetailsRow): UserDetails => ({
  ...toUser(row),
  sipUri: `sip:${row.username}@${row.domain}`,
  templates: row.templates.map((t) => t.template.name).sort(),
  apps: row.appGrants.map((g) => g.app.appId).sort(),
  devices: row.deviceAppsUsed
    .map((d) => ({ device: d.device, app: d.app.appId }))
    .sort((a, b) => a.device.localeCompare(b.device) || a.app.localeCompare(b.app)),
});
