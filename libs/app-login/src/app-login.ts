import { createHmac, timingSafeEqual } from 'node:crypto';

/** Tag that starts every canonical string, so a digest for another purpose or version never matches. */
export const APP_LOGIN_VERSION = 'gatehouse-app-login-v1';

/** Longest challenge accepted (characters). */
export const APP_LOGIN_MAX_CHALLENGE = 1024;

/** What the digest binds together. */
export interface AppLoginFields {
  /** The app's id, unique within its domain. */
  appId: string;
  /** The domain the app and the user belong to. */
  domain: string;
  /** The logged-in user as `username@domain`. */
  user: string;
  /** The random challenge the app backend sent to its client. */
  challenge: string;
}

// Control characters (newline included) are refused so joining by '\n' is unambiguous.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Builds the exact string that is signed: the version tag, appId, domain, user and challenge joined by '\n'
 * (UTF-8, no trailing newline). Throws when a field is empty, holds a control character, or the challenge is too long.
 */
export function canonicalAppLoginString(fields: AppLoginFields): string {
  const parts = [fields.appId, fields.domain, fields.user, fields.challenge];
  for (const part of parts) {
    if (typeof part !== 'string' || part.length === 0 || CONTROL.test(part)) {
      throw new TypeError('App login fields must be non-empty strings without control characters');
    }
  }
  if (fields.challenge.length > APP_LOGIN_MAX_CHALLENGE) throw new TypeError('App login challenge is too long');
  return [APP_LOGIN_VERSION, ...parts].join('\n');
}

/**
 * The digest Gatehouse returns from POST /api/v1/me/apps/:appId/login:
 * lowercase hex HMAC-SHA256, keyed with the app's shared secret (UTF-8), over canonicalAppLoginString(fields).
 */
export function computeAppLoginDigest(sharedSecret: string, fields: AppLoginFields): string {
  return createHmac('sha256', sharedSecret).update(canonicalAppLoginString(fields), 'utf8').digest('hex');
}

/**
 * For app backends: true when `digest` proves that Gatehouse logged `fields.user` into this app for `challenge`.
 * Compares in constant time; returns false (never throws) for malformed input. The caller must check that the
 * challenge is one it issued, is fresh, and is used only once.
 */
export function verifyAppLoginDigest(sharedSecret: string, fields: AppLoginFields, digest: string): boolean {
  let expected: string;
  try {
    expected = computeAppLoginDigest(sharedSecret, fields);
  } catch {
    return false;
  }
  if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(digest, 'hex'));
}
