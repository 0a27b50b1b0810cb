import { generateKeyPairSync, verify } from 'node:crypto';
import { BACKCHANNEL_LOGOUT_EVENT, signLogoutToken } from './logout-token';

describe('signLogoutToken', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' };
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

  it('makes an RS256 logout+jwt with the back-channel logout event, sub, sid and no nonce, valid for the public key', () => {
    const sut = signLogoutToken(jwk, {
      issuer: 'https://gh.example.com',
      clientId: 'chat@example.com',
      sub: 'u1',
      sid: 's1',
      nowSeconds: 1000,
    });
    const [header, payload, signature] = sut.split('.');
    expect(decode(header!)).toEqual({ alg: 'RS256', typ: 'logout+jwt', kid: 'k1' });
    expect(decode(payload!)).toMatchObject({
      iss: 'https://gh.example.com',
      aud: 'chat@example.com',
      sub: 'u1',
      sid: 's1',
      iat: 1000,
      exp: 1120,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    expect(decode(payload!)).not.toHaveProperty('nonce');
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature!, 'base64url'))).toBe(true);
  });

  it('gives every token its own jti, so an app can refuse a replay', () => {
    const claims = { issuer: 'https://gh.example.com', clientId: 'chat@example.com', sub: 'u1', nowSeconds: 1000 };
    const jti = (token: string) => decode(token.split('.')[1]!).jti;
    expect(jti(signLogoutToken(jwk, claims))).not.toBe(jti(signLogoutToken(jwk, claims)));
  });
});
