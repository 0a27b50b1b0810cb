import { randomBytes } from 'node:crypto';
import { constantTimeEqual, hmacSha256Hex, sha256 } from '@gatehouse/crypto';

/**
 * A session password is 256 random bits written as 68 characters. Being longer than SHA-256's
 * 64-byte block, HMAC keys with it are first hashed (RFC 2104), so HMAC(password, nonce) equals
 * HMAC(sha256(password), nonce): the server checks proofs while storing only the hash.
 */
export const newSessionPassword = () => `ghs_${randomBytes(32).toString('hex')}`;

export const hashSessionPassword = (password: string) => sha256(password);

export function proofMatches(passwordHash: string, nonce: string, proof: string): boolean {
  return constantTimeEqual(hmacSha256Hex(Buffer.from(passwordHash, 'hex'), nonce), proof.toLowerCase());
}
