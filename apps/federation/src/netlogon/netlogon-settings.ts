/** How Gatehouse reaches the Windows domain controller (admin settings, see /admin/config/authentication). */
export interface NetlogonSettings {
  /** ldaps://dc.corp.example or ldap://… (ldap:// uses StartTLS unless allowPlainLdap). */
  url: string;
  /** Further domain controllers, tried in order when the one before does not answer (not when it refuses). */
  fallbackUrls?: string[];
  /** Windows/DNS domain appended for UPN binds: user@domain. */
  domain: string;
  /** NetBIOS domain accepted in `DOMAIN\user` logins; unset: the first label of `domain`. */
  netbiosName?: string;
  /** `upn`: bind as user@domain; `search`: find the user's DN with the service account, then bind as it. */
  bindMode: 'upn' | 'search';
  /** The account's attribute that names the Gatehouse user: sAMAccountName = its username (default), userPrincipalName = its email. */
  loginAttribute?: 'sAMAccountName' | 'userPrincipalName';
  searchBase?: string;
  serviceAccount?: { dn: string; password: string };
  /** DN of a group the account must be a member of, directly or through nested groups. */
  requiredGroup?: string;
  timeoutMs: number;
  allowPlainLdap: boolean;
  /** PEM of the CA(s) that sign the domain controller's certificate; unset: Node's default trust store. */
  caCertificate?: string;
  /** Gatehouse binds at most this many wrong passwords per Windows account within the window (unset: 2 in 30 minutes). */
  maxBadPasswords?: number;
  badPasswordWindowMs?: number;
}

export interface NetlogonIdentity {
  username: string;
  email?: string;
  upn?: string;
}

export const DEFAULT_MAX_BAD_PASSWORDS = 2;
export const DEFAULT_BAD_PASSWORD_WINDOW_MINUTES = 30;

/** The domain controllers in the order they are tried. */
export const domainControllers = (settings: NetlogonSettings): string[] => [settings.url, ...(settings.fallbackUrls ?? [])];

/** `CORP` for corp.example unless an admin set another NetBIOS name. */
export const netbiosNameOf = (settings: NetlogonSettings): string => settings.netbiosName ?? settings.domain.split('.')[0];
