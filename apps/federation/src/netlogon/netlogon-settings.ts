/** How Gatehouse reaches the Windows domain controller (admin settings, see /admin/config/authentication). */
export interface NetlogonSettings {
  /** ldaps://dc.corp.example or ldap://… (ldap:// uses StartTLS unless allowPlainLdap). */
  url: string;
  /** Windows/DNS domain appended for UPN binds: user@domain. */
  domain: string;
  /** `upn`: bind as user@domain; `search`: find the user's DN with the service account, then bind as it. */
  bindMode: 'upn' | 'search';
  searchBase?: string;
  serviceAccount?: { dn: string; password: string };
  timeoutMs: number;
  allowPlainLdap: boolean;
  /** PEM of the CA(s) that sign the domain controller's certificate; unset: Node's default trust store. */
  caCertificate?: string;
}

export interface NetlogonIdentity {
  username: string;
  email?: string;
  upn?: string;
}
