/**
 * Seed 001 "OAuth2 domain": users of that domain are treated like members of the PBX domain, so
 * alice@ad.example.com is looked up as alice@<PBX domain>; otherwise the email/UPN is the login.
 */
export function directoryLogins(identity: { email?: string; upn?: string }, oauth2Domain: string | null, pbxDomain: string): string[] {
  const logins: string[] = [];
  for (const address of [identity.email, identity.upn]) {
    if (!address) continue;
    const at = address.lastIndexOf('@');
    const mapped = at > 0 && oauth2Domain && address.slice(at + 1).toLowerCase() === oauth2Domain.toLowerCase();
    const login = mapped ? `${address.slice(0, at)}@${pbxDomain}` : address;
    if (!logins.includes(login)) logins.push(login);
  }
  return logins;
}
