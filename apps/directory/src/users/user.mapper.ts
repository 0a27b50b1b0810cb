import { Language, Languages, User } from '@gatehouse/contracts';
import type { UserRow } from './users.repository';

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
