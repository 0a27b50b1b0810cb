import type { AuthType } from './auth-settings.contract';

/** What one authentication type lets a user sign in with. */
export interface AuthTypeAllows {
  /** The PBX password (an OPAQUE record, or an argon2id hash not yet migrated). */
  pbxPassword: boolean;
  /** The Windows domain password, checked by the domain controller (Netlogon). */
  windowsPassword: boolean;
  /** The identity provider (OAuth2 / OpenID Connect). */
  oauth2: boolean;
  /** A password in the login form at all, and so "Forgot password?" and the built-in reset. */
  passwordForm: boolean;
}

/** Seed 001: the one table of what each authentication type allows. */
export const AUTH_TYPE_ALLOWS: Readonly<Record<AuthType, AuthTypeAllows>> = {
  pbx: { pbxPassword: true, windowsPassword: false, oauth2: false, passwordForm: true },
  netlogon: { pbxPassword: false, windowsPassword: true, oauth2: false, passwordForm: true },
  'pbx+netlogon': { pbxPassword: true, windowsPassword: true, oauth2: false, passwordForm: true },
  oauth2: { pbxPassword: false, windowsPassword: false, oauth2: true, passwordForm: false },
  'pbx+oauth2': { pbxPassword: true, windowsPassword: false, oauth2: true, passwordForm: true },
};

export const allows = (type: AuthType): AuthTypeAllows => AUTH_TYPE_ALLOWS[type];
