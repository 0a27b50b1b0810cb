import { createHmac } from 'node:crypto';
import { APP_LOGIN_CHALLENGE_MAX_LENGTH } from '@gatehouse/contracts';
import { APP_LOGIN_MAX_CHALLENGE, canonicalAppLoginString, computeAppLoginDigest, verifyAppLoginDigest } from './app-login';

const fields = { appId: 'chat', domain: 'example.com', user: 'jdo@example.com', challenge: 'c-123' };
const secret = 'shared-secret';

describe('app login digest', () => {
  it('signs the newline-joined canonical string with HMAC-SHA256', () => {
    const canonical = 'gatehouse-app-login-v1\nchat\nexample.com\njdo@example.com\nc-123';
    expect(canonicalAppLoginString(fields)).toBe(canonical);
    expect(computeAppLoginDigest(secret, fields)).toBe(createHmac('sha256', secret).update(canonical).digest('hex'));
  });

  it('verifies a digest made with the same secret and challenge', () => {
    expect(verifyAppLoginDigest(secret, fields, computeAppLoginDigest(secret, fields))).toBe(true);
  });

  it('fails with a wrong secret, challenge, user or app', () => {
    const digest = computeAppLoginDigest(secret, fields);
    expect(verifyAppLoginDigest('other-secret', fields, digest)).toBe(false);
    expect(verifyAppLoginDigest(secret, { ...fields, challenge: 'c-124' }, digest)).toBe(false);
    expect(verifyAppLoginDigest(secret, { ...fields, user: 'eve@example.com' }, digest)).toBe(false);
    expect(verifyAppLoginDigest(secret, { ...fields, appId: 'users' }, digest)).toBe(false);
  });

  it('refuses fields with a newline so two field lists cannot share a canonical string', () => {
    expect(() => canonicalAppLoginString({ ...fields, challenge: 'a\nb' })).toThrow(TypeError);
    expect(verifyAppLoginDigest(secret, { ...fields, challenge: 'a\nb' }, '0'.repeat(64))).toBe(false);
  });

  it('returns false for a malformed digest instead of throwing', () => {
    expect(verifyAppLoginDigest(secret, fields, 'zz')).toBe(false);
    expect(verifyAppLoginDigest(secret, fields, computeAppLoginDigest(secret, fields).toUpperCase())).toBe(false);
  });

  it('accepts exactly the challenges the API contract lets through', () => {
    expect(APP_LOGIN_MAX_CHALLENGE).toBe(APP_LOGIN_CHALLENGE_MAX_LENGTH);
    expect(() => canonicalAppLoginString({ ...fields, challenge: 'c'.repeat(APP_LOGIN_MAX_CHALLENGE) })).not.toThrow();
    expect(() => canonicalAppLoginString({ ...fields, challenge: 'c'.repeat(APP_LOGIN_MAX_CHALLENGE + 1) })).toThrow(TypeError);
  });
});
