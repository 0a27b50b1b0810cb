import { createHmac, hash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 256-bit random secret, base64url (session passwords, API keys, link and poll tokens). */
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** A numeric code of `digits` digits, uniformly drawn (security codes). */
export const randomDigits = (digits: number) => Array.from({ length: digits }, () => randomInt(0, 10).toString()).join('');

/** Stored form of a high-entropy secret: SHA-256 is enough when the secret has 256 bits. */
export const sha256 = (value: string) => hash('sha256', value, 'hex'); // one-shot: no Hash object per call (token checks)

export const hmacSha256Hex = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message).digest('hex');

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
