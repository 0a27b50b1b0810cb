import type { NetlogonRefusal, NetlogonRefusalCode } from '@gatehouse/contracts';

/**
 * Active Directory's reason for a refused simple bind, the `data` sub-code of its error message
 * (`80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 533, v1db1`).
 */
export function adSubCode(message: string): string | undefined {
  return /\bdata ([0-9a-f]{3,8})\b/i.exec(message)?.[1]?.toLowerCase();
}

/**
 * What each sub-code means and whether AD reports it only after the password was checked (verified
 * against Samba 4.17: a wrong password on a disabled, expired, must-change or restricted account
 * answers 52e; a locked account answers 775 whatever the password).
 */
const REFUSALS: Record<string, { code: NetlogonRefusalCode; proven: boolean }> = {
  '525': { code: 'no_such_account', proven: false },
  '530': { code: 'account_restricted', proven: true }, // not permitted to log on at this time
  '531': { code: 'account_restricted', proven: true }, // not permitted to log on at this workstation
  '532': { code: 'password_expired', proven: true },
  '533': { code: 'account_disabled', proven: true },
  '701': { code: 'account_expired', proven: true },
  '773': { code: 'password_must_change', proven: true },
  '775': { code: 'account_locked', proven: false },
};

/** null: a plain wrong password (52e, or a directory that gives no sub-code). */
export function refusalOf(adCode: string | undefined): NetlogonRefusal | null {
  const known = adCode ? REFUSALS[adCode] : undefined;
  return known ? { ...known, adCode } : null;
}

/** For the admin's log line and audit row. */
export const REFUSAL_TEXT: Record<NetlogonRefusalCode, string> = {
  password_expired: 'the password has expired',
  password_must_change: 'the user must change the password at next logon',
  account_disabled: 'the account is disabled',
  account_expired: 'the account has expired',
  account_restricted: 'the account may not log on at this time or from this computer',
  account_locked: 'the account is locked out',
  no_such_account: 'no such account',
  not_in_group: 'the account is not a member of the required group',
};
