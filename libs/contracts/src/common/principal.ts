/** What of a user decides what they may do once signed in: a directory user, or a session's or key's snapshot of one. */
export interface PrincipalSource {
  domain: string;
  username: string;
  admin: boolean;
  external: boolean;
}

/** Who a signed-in user acts as. */
export interface UserPrincipal {
  userId: string;
  domain: string;
  username: string;
  admin: boolean;
  external: boolean;
}

/**
 * The one place of the rule "external users are never administrators": an external user (seed 002:
 * generated name, single use) acts without admin rights whatever their row says. Sessions, API keys
 * and the gateway's guards all take a user's rights from here.
 */
export function principalOf(user: PrincipalSource & ({ id: string } | { userId: string })): UserPrincipal {
  return {
    userId: 'userId' in user ? user.userId : user.id,
    domain: user.domain,
    username: user.username,
    admin: user.admin && !user.external,
    external: user.external,
  };
}
