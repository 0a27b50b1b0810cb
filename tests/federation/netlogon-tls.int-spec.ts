import { createServer } from 'node:net';
import { AppError } from '@gatehouse/errors';
import { createLogger } from '@gatehouse/platform';
import { LogCapture, PrivateLdap, TestCa, freePort } from '@gatehouse/testing';
import { NetlogonSettings } from '../../apps/federation/src/netlogon/netlogon-settings';
import { NetlogonVerifier } from '../../apps/federation/src/netlogon/netlogon.verifier';

const PASSWORD = 'Alice-Windows-1';

describe('Netlogon over TLS to a slapd whose certificate a company CA signed', () => {
  let companyCa: TestCa;
  let otherCa: TestCa;
  let ldap: PrivateLdap;
  let misnamed: PrivateLdap;
  let logs: LogCapture;
  let sut: NetlogonVerifier;

  beforeAll(async () => {
    companyCa = TestCa.create('Corp Example Issuing CA');
    otherCa = TestCa.create('Some Other CA');
    const users = [{ uid: 'alice', password: PASSWORD, mail: 'alice@corp.example' }];
    [ldap, misnamed] = await Promise.all([
      PrivateLdap.start({ users, tls: companyCa.issue() }),
      // Signed by the company CA, but for another host than the one Gatehouse connects to.
      PrivateLdap.start({ users, tls: companyCa.issue('dc.corp.example', ['DNS:dc.corp.example']) }),
    ]);
  });
  beforeEach(() => {
    logs = new LogCapture();
    sut = new NetlogonVerifier(createLogger({ service: 'federation', level: 'info', destination: logs }));
  });
  afterAll(async () => {
    await Promise.all([ldap?.dispose(), misnamed?.dispose()]);
    companyCa?.dispose();
    otherCa?.dispose();
  });

  const settings = (url: string, caCertificate?: string): NetlogonSettings => ({
    url,
    domain: ldap.domain,
    bindMode: 'search',
    searchBase: ldap.baseDn,
    serviceAccount: ldap.serviceAccount,
    timeoutMs: 1000,
    allowPlainLdap: false,
    caCertificate,
  });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };
  const logged = () => JSON.stringify(logs.lines);

  it.each([
    ['ldaps://', () => ldap.ldapsUrl],
    ['StartTLS on ldap://', () => ldap.url],
    ['ldaps:// by host name (localhost)', () => ldap.ldapsUrl.replace('127.0.0.1', 'localhost')],
  ])('verifies a domain password over %s with the company CA configured', async (_, url) => {
    await expect(sut.verify(settings(url(), companyCa.certificate), 'alice', PASSWORD)).resolves.toMatchObject({
      ok: true,
      identity: { username: 'alice' },
    });
    await expect(sut.verify(settings(url(), companyCa.certificate), 'alice', 'Wrong-1')).resolves.toEqual({ ok: false });
  });

  it.each([
    ['ldaps:// without a configured CA', () => settings(ldap.ldapsUrl)],
    ['ldaps:// with another CA', () => settings(ldap.ldapsUrl, otherCa.certificate)],
    ['StartTLS without a configured CA', () => settings(ldap.url)],
    ['StartTLS with another CA', () => settings(ldap.url, otherCa.certificate)],
  ])('refuses a certificate the trusted CAs did not sign: %s', async (_, config) => {
    const error = await refusal(sut.verify(config(), 'alice', PASSWORD));
    expect(error.toBody()).toEqual({
      code: 'netlogon_unavailable',
      message: 'The TLS connection to the domain controller failed',
      details: { reason: 'tls' },
    });
    expect(logs.where({ level: 'warn', reason: 'tls' })).toEqual([
      expect.objectContaining({
        errorCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        msg: expect.stringContaining('TLS with the domain controller failed'),
      }),
    ]);
    expect(logged()).not.toContain(PASSWORD);
    expect(logged()).not.toContain(ldap.serviceAccount.password);
  });

  it('refuses a certificate of the company CA issued for another host name', async () => {
    for (const url of [misnamed.ldapsUrl, misnamed.url]) {
      const error = await refusal(sut.verify(settings(url, companyCa.certificate), 'alice', PASSWORD));
      expect(error.code).toBe('netlogon_unavailable');
    }
    expect(logs.where({ level: 'warn', reason: 'tls' }).map((line) => line.errorCode)).toEqual([
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]);
  });

  it('trusts a CA given in a bundle with other certificates', async () => {
    const bundle = `${otherCa.certificate}${companyCa.certificate}`;
    await expect(sut.verify(settings(ldap.ldapsUrl, bundle), 'alice', PASSWORD)).resolves.toMatchObject({ ok: true });
  });

  it('answers netlogon_unavailable within the timeout when the server accepts StartTLS but never completes the handshake', async () => {
    // A successful ExtendedResponse to the StartTLS request (same one-byte message id), then silence.
    const accepted = (id: number) => Buffer.from([0x30, 0x0c, 0x02, 0x01, id, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
    const port = await freePort();
    const stalling = createServer((socket) => socket.once('data', (request: Buffer) => socket.write(accepted(request[4]))));
    await new Promise<void>((resolve) => stalling.listen(port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const error = await refusal(
        sut.verify({ ...settings(`ldap://127.0.0.1:${port}`, companyCa.certificate), timeoutMs: 300 }, 'alice', PASSWORD),
      );
      expect(error.code).toBe('netlogon_unavailable');
      expect(logs.where({ level: 'warn' })[0].msg).toContain('TLS handshake timed out');
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      stalling.close();
    }
  });
});
