import { X509Certificate } from 'node:crypto';
import { AppError } from '@gatehouse/errors';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
/** A certificate made moments ago on a machine whose clock runs a little ahead is not refused. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The CA certificate(s) an admin pasted, each parsed as X.509 and written back as canonical PEM;
 * validation_failed when one is not a certificate, or is expired or not yet valid at `nowMs` (give or
 * take five minutes of clock skew for the latter), so a typo or a stale certificate is reported on
 * save, not as a TLS failure at every Windows login.
 */
export function parseCaCertificate(pem: string, nowMs: number): string {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw invalid('no PEM certificate found');
  return blocks
    .map((block, index) => {
      let certificate: X509Certificate;
      try {
        certificate = new X509Certificate(block);
      } catch {
        throw invalid(`certificate ${index + 1} is not a valid X.509 certificate`);
      }
      if (certificate.validToDate.getTime() < nowMs)
        throw invalid(`certificate ${index + 1} expired on ${certificate.validToDate.toISOString()}`);
      if (certificate.validFromDate.getTime() > nowMs + CLOCK_SKEW_MS)
        throw invalid(`certificate ${index + 1} is not valid before ${certificate.validFromDate.toISOString()}`);
      return certificate.toString();
    })
    .join('');
}

const invalid = (why: string): AppError =>
  new AppError('validation_failed', `netlogon.caCertificate: ${why}`, { field: 'netlogon.caCertificate' });
