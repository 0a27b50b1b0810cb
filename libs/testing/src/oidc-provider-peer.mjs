// A real OpenID Connect provider (npm oidc-provider) for tests, run with plain node because it is ESM-only.
// Input: JSON in argv[2] { port, issuer, jwks?, clients, accounts }; prints "ready <issuer>" once listening.
import Provider from 'oidc-provider';

const { port, issuer, jwks, clients, accounts } = JSON.parse(process.argv[2]);

const provider = new Provider(issuer, {
  clients,
  ...(jwks ? { jwks } : {}),
  // Development login form: POST prompt=login&login=<accountId>; no password (a test peer only).
  features: { devInteractions: { enabled: true } },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['upn', 'name'] },
  pkce: { required: () => true },
  // Put email/upn into the ID token itself (not only userinfo), as Entra ID and ADFS do.
  conformIdTokenClaims: false,
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  cookies: { keys: ['gatehouse-test-peer-cookie-key'] },
});
// Quiet the provider's development warnings on stderr.
provider.on('server_error', (_ctx, error) => console.error(error));
provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
