import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './nats-server';
import { portOpen } from './servers';

export interface LdapUser {
  uid: string;
  password: string;
  mail?: string;
  cn?: string;
}

export interface LdapServerOptions {
  /** DNS domain, e.g. corp.example; the base DN becomes dc=corp,dc=example. */
  domain?: string;
  users?: LdapUser[];
  /** Serve TLS with this certificate: StartTLS on the ldap:// port and ldaps:// on a port of its own. */
  tls?: { certFile: string; keyFile: string };
}

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';

/**
 * A private OpenLDAP server for one test file: its own slapd.conf, database and port, never the
 * machine's system slapd. stop() and resume() simulate a domain controller going away.
 */
export class PrivateLdap {
  private child?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly domain: string,
    readonly baseDn: string,
    readonly serviceAccount: { dn: string; password: string },
    /** Set when started with `tls`. */
    readonly ldapsPort?: number,
  ) {}

  static async start(options: LdapServerOptions = {}): Promise<PrivateLdap> {
    if (!existsSync(SLAPD)) throw new Error('slapd is not installed (bash scripts/ensure-slapd.sh)');
    const domain = options.domain ?? 'corp.example';
    const baseDn = domain
      .split('.')
      .map((part) => `dc=${part}`)
      .join(',');
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-slapd-'));
    const service = { dn: `cn=gatehouse-svc,${baseDn}`, password: 'svc-Secret-1' };
    writeFileSync(join(dir, 'slapd.conf'), slapdConf(dir, baseDn, options.tls));
    writeFileSync(join(dir, 'seed.ldif'), seedLdif(domain, baseDn, service, options.users ?? []));
    const add = spawnSync(SLAPADD, ['-f', join(dir, 'slapd.conf'), '-l', join(dir, 'seed.ldif')], { encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
    const ldap = new PrivateLdap(dir, await freePort(), domain, baseDn, service, options.tls ? await freePort() : undefined);
    await ldap.resume();
    return ldap;
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  /** ldaps://127.0.0.1:<port>; only when started with `tls`. */
  get ldapsUrl(): string {
    if (this.ldapsPort === undefined) throw new Error('this slapd was started without tls');
    return `ldaps://127.0.0.1:${this.ldapsPort}`;
  }

  async resume(): Promise<void> {
    const urls = this.ldapsPort === undefined ? this.url : `${this.url} ${this.ldapsUrl}`;
    // -d 0 keeps slapd in the foreground so the child handle owns it.
    this.child = spawn(SLAPD, ['-d', '0', '-f', join(this.dir, 'slapd.conf'), '-h', urls], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (
        (await portOpen('127.0.0.1', this.port, 200)) &&
        (this.ldapsPort === undefined || (await portOpen('127.0.0.1', this.ldapsPort, 200)))
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`slapd did not start on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function slapdConf(dir: string, baseDn: string, tls?: LdapServerOptions['tls']): string {
  return [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    `pidfile ${join(dir, 'slapd.pid')}`,
    ...(tls ? [`TLSCertificateFile ${tls.certFile}`, `TLSCertificateKeyFile ${tls.keyFile}`] : []),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'database mdb',
    `suffix "${baseDn}"`,
    `rootdn "cn=admin,${baseDn}"`,
    'rootpw admin-Secret-1',
    `directory ${dir}`,
    'maxsize 10485760',
    'access to attrs=userPassword by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

function seedLdif(domain: string, baseDn: string, service: { dn: string; password: string }, users: LdapUser[]): string {
  const top = baseDn.split(',')[0].slice(3);
  const entries = [
    `dn: ${baseDn}\nobjectClass: dcObject\nobjectClass: organization\no: ${domain}\ndc: ${top}`,
    `dn: ou=people,${baseDn}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ${service.dn}\nobjectClass: person\ncn: gatehouse-svc\nsn: service\nuserPassword: ${service.password}`,
    ...users.map(
      (user) =>
        `dn: uid=${user.uid},ou=people,${baseDn}\nobjectClass: inetOrgPerson\nuid: ${user.uid}\ncn: ${user.cn ?? user.uid}\n` +
        `sn: ${user.uid}\nmail: ${user.mail ?? `${user.uid}@${domain}`}\nuserPassword: ${user.password}`,
    ),
  ];
  return entries.join('\n\n') + '\n';
}
