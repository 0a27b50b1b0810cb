import { X509Certificate } from 'node:crypto';
import { AppError } from '@gatehouse/errors';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The CA certificate(s) an admin pasted, each parsed as X.509 and written back as canonical PEM;
 * validation_failed when one is not a certificate, so a typo is reported on save, not at a login.
 */
export function parseCaCertificate(pem: string): string {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw invalid('no PEM certificate found');
  return blocks
    .map((block, index) => {
      try {
        return new X509Certificate(block).toString();
      } catch {
        throw invalid(`certificate ${index + 1} is not a valid X.509 certificate`);
      }
    })
    .join('');
}

const invalid = (why: string): AppError =>
  new AppError('validation_failed', `netlogon.caCertificate: ${why}`, { field: 'netlogon.caCertificate' });
