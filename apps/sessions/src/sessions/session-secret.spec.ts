import { hmacSha256Hex } from '@gatehouse/crypto';
import { hashSessionPassword, newSessionPassword, proofMatches } from './session-secret';

describe('session secret', () => {
  it('accepts the proof a client computes with the session password it was given', () => {
    const password = newSessionPassword();
    const sut = hashSessionPassword(password);
    expect(proofMatches(sut, 'nonce-1', hmacSha256Hex(password, 'nonce-1'))).toBe(true);
  });

  it('refuses a proof for another nonce or from another password', () => {
    const password = newSessionPassword();
    const sut = hashSessionPassword(password);
    expect(proofMatches(sut, 'nonce-1', hmacSha256Hex(password, 'nonce-2'))).toBe(false);
    expect(proofMatches(sut, 'nonce-1', hmacSha256Hex(newSessionPassword(), 'nonce-1'))).toBe(false);
  });
});
