/**
 * Seed 001 "OAuth2 domain": users of that domain are treated like members of the PBX domain, so
 * alice@ad.example.com is looked up as alice@<PBX domain>. A verified email is otherwise the login
 * itself. A UPN is an account name in the provider's directory, not an address anyone proved to
 * own: it links only through that mapping, never to whoever has the same name or email here.
 */
export function directoryLogins(identity: { email?: string; upn?: string }, oauth2Domain: string | null, pbxDomain: string): string[] {
  const logins: string[] = [];
  const add = (login: string) => {
    if (!logins.includes(login)) logins.push(login);
  };
  const mapped = (address: string): string | null => {
    const at = address.lastIndexOf('@');
    return at > 0 && oauth2Domain && address.slice(at + 1).toLowerCase() === oauth2Domain.toLowerCase()
      ? `${address.slice(0, at)}@${pbxDomain}`
      : null;
  };
  if (identity.email) add(mapped(identity.email) ?? identity.email);
  const upn = identity.upn && mapped(identity.upn);
  if (upn) add(upn);
  return logins;
}
