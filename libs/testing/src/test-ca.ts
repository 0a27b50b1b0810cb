import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IssuedCertificate {
  /** PEM of the certificate and of its unencrypted private key, and the files that hold them. */
  certificate: string;
  key: string;
  certFile: string;
  keyFile: string;
}

const OPENSSL = '/usr/bin/openssl';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * A throwaway certificate authority for TLS tests, made at test time with the openssl CLI (P-256
 * keys: quick to make). issue() signs a server certificate, for 127.0.0.1 and localhost by default.
 */
export class TestCa {
  private issued = 0;

  private constructor(
    readonly dir: string,
    readonly certificate: string,
    /** What a server certificate of this CA is sent with: nothing for a root, its own certificate for an intermediate. */
    private readonly chain = '',
  ) {}

  static create(commonName = 'Gatehouse Test CA'): TestCa {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ca-'));
    const extensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
    openssl(dir, [
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      ...extensions,
    ]);
    return new TestCa(dir, readFileSync(join(dir, 'ca.crt'), 'utf8'));
  }

  /** An intermediate CA signed by this one; its server certificates' files carry it after them, as servers send them. */
  intermediate(commonName: string): TestCa {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ca-'));
    writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
    openssl(dir, ['req', '-new', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.csr', '-subj', `/CN=${commonName}`]);
    openssl(this.dir, [
      'x509',
      '-req',
      '-in',
      join(dir, 'ca.csr'),
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      join(dir, 'ca.ext'),
      '-out',
      join(dir, 'ca.crt'),
    ]);
    const certificate = readFileSync(join(dir, 'ca.crt'), 'utf8');
    return new TestCa(dir, certificate, certificate);
  }

  issue(commonName = 'localhost', altNames = ['IP:127.0.0.1', 'DNS:localhost']): IssuedCertificate {
    const name = `server-${++this.issued}`;
    const ext = join(this.dir, `${name}.ext`);
    writeFileSync(
      ext,
      `subjectAltName=${altNames.join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
    );
    openssl(this.dir, ['req', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`]);
    openssl(this.dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      `${name}.crt`,
    ]);
    const certFile = join(this.dir, `${name}.crt`);
    const keyFile = join(this.dir, `${name}.key`);
    if (this.chain) writeFileSync(certFile, readFileSync(certFile, 'utf8') + this.chain);
    return { certificate: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function openssl(cwd: string, args: string[]): void {
  const result = spawnSync(OPENSSL, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}
