import { X509Certificate } from 'node:crypto';
import { TestCa } from '@gatehouse/testing';
import { parseCaCertificate } from './ca-certificate';

describe('parseCaCertificate', () => {
  let ca: TestCa;
  let other: TestCa;
  beforeAll(() => {
    ca = TestCa.create('Corp CA');
    other = TestCa.create('Other CA');
  });
  afterAll(() => {
    ca.dispose();
    other.dispose();
  });

  it('keeps every certificate of a bundle, as canonical PEM with Unix line ends', () => {
    const sut = parseCaCertificate(`\n${ca.certificate.replace(/\n/g, '\r\n')}\n${other.certificate}`, Date.now());
    const subjects = sut
      .match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!
      .map((pem) => new X509Certificate(pem).subject);
    expect(subjects).toEqual(['CN=Corp CA', 'CN=Other CA']);
    expect(sut).not.toContain('\r');
  });

  it('answers validation_failed naming the field when a block is no X.509 certificate', () => {
    expect(() =>
      parseCaCertificate(`${ca.certificate}-----BEGIN CERTIFICATE-----\nQUJDRA==\n-----END CERTIFICATE-----\n`, Date.now()),
    ).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        message: 'netlogon.caCertificate: certificate 2 is not a valid X.509 certificate',
      }),
    );
    expect(() => parseCaCertificate('no PEM here', Date.now())).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('names the certificate of a bundle that has expired', () => {
    const validTo = new X509Certificate(other.certificate).validToDate.getTime();
    expect(() => parseCaCertificate(`${ca.certificate}${other.certificate}`, validTo + 1)).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        message: expect.stringMatching(/^netlogon\.caCertificate: certificate \d expired on /),
      }),
    );
    expect(parseCaCertificate(`${ca.certificate}${other.certificate}`, validTo - 60_000)).toContain('BEGIN CERTIFICATE');
  });
});
