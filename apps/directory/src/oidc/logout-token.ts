import { createPrivateKey, randomUUID, sign } from 'node:crypto';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface LogoutTokenClaims {
  issuer: string;
  clientId: string;
  sub: string;
  sid?: string;
  nowSeconds: number;
}

/**
 * OpenID Connect Back-Channel Logout 1.0 §2.4: a JWT signed like the ID tokens (RS256, key from
 * JWKS), `typ` logout+jwt, with the logout event and no nonce; short-lived, a new jti per attempt.
 */
export function signLogoutToken(jwk: Record<string, unknown>, claims: LogoutTokenClaims): string {
  const header = { alg: 'RS256', typ: 'logout+jwt', kid: jwk.kid };
  const payload = {
    iss: claims.issuer,
    aud: claims.clientId,
    iat: claims.nowSeconds,
    exp: claims.nowSeconds + 120,
    jti: randomUUID(),
    sub: claims.sub,
    ...(claims.sid ? { sid: claims.sid } : {}),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
  const input = `${base64url(header)}.${base64url(payload)}`;
  const key = createPrivateKey({ key: jwk as never, format: 'jwk' });
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
