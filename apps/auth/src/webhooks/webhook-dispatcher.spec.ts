import { createHmac } from 'node:crypto';
import { signWebhook } from './webhook-dispatcher';

describe('signWebhook: the signature receivers check', () => {
  it('is v1= and the hex HMAC-SHA256 of "timestamp.body" keyed by the secret', () => {
    const body = '{"type":"login"}';
    const expected = createHmac('sha256', 'whsec_abc').update(`1767225600.${body}`).digest('hex');
    expect(signWebhook('whsec_abc', '1767225600', body)).toBe(`v1=${expected}`);
  });

  it('changes with the timestamp, so a replayed body under a new time does not verify', () => {
    expect(signWebhook('k', '1', 'b')).not.toBe(signWebhook('k', '2', 'b'));
    expect(signWebhook('k', '1', 'b')).not.toBe(signWebhook('k2', '1', 'b'));
  });
});
