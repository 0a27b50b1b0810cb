import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Attribute, Change, Client, InvalidCredentialsError } from 'ldapts';

/** Where scripts/ensure-samba.sh provisions the domain (the same variable and default). */
const SAMBA_DIR = process.env.GATEHOUSE_SAMBA_DIR ?? '/var/lib/gatehouse-samba';
const ADMIN_PASSWORD = process.env.GATEHOUSE_SAMBA_ADMIN_PASSWORD ?? 'Gatehouse-Admin-1';
const HOST = 'dc1.corp.test';
const BASE_DN = 'DC=corp,DC=test';
const UF_NORMAL_ACCOUNT = 0x200;
const UF_ACCOUNTDISABLE = 0x2;

export interface SambaUser {
  /** sAMAccountName, unique to this test file. */
  name: string;
  dn: string;
  upn: string;
  password: string;
}

/**
 * The shared Samba AD domain controller of CORP.TEST (scripts/ensure-samba.sh starts it). Each test
 * file makes its own users and groups under a random prefix and deletes them at the end, because
 * files run in parallel against the one DC; nothing domain-wide is changed here (the lockout
 * threshold of 3 is set once by the script for every file).
 */
export class SambaDc {
  readonly host = HOST;
  readonly domain = 'corp.test';
  readonly netbiosName = 'CORP';
  readonly baseDn = BASE_DN;
  readonly usersDn = `CN=Users,${BASE_DN}`;
  /** The domain's CA (Samba's own), which signs the DC's certificate for dc1.corp.test. */
  readonly caCertificate: string;
  private readonly made: string[] = [];

  private constructor(
    readonly prefix: string,
    caCertificate: string,
  ) {
    this.caCertificate = caCertificate;
  }

  /** Fails with the command to run when the DC is not there. */
  static async connect(): Promise<SambaDc> {
    const caFile = `${SAMBA_DIR}/private/tls/ca.pem`;
    if (!existsSync(caFile)) throw new Error(`no Samba AD DC provisioned in ${SAMBA_DIR} (bash scripts/ensure-samba.sh)`);
    const dc = new SambaDc(`t${randomBytes(3).toString('hex')}`, readFileSync(caFile, 'utf8'));
    await dc
      .admin(async () => undefined)
      .catch((error: unknown) => {
        throw new Error(`the Samba AD DC does not answer on ldaps://${HOST} (bash scripts/ensure-samba.sh): ${String(error)}`);
      });
    return dc;
  }

  get ldapsUrl(): string {
    return `ldaps://${HOST}`;
  }

  /** StartTLS on 389. */
  get ldapUrl(): string {
    return `ldap://${HOST}`;
  }

  /** This file's name for `name` (sAMAccountName is at most 20 characters). */
  nameOf(name: string): string {
    const full = `${this.prefix}-${name}`;
    if (full.length > 20) throw new Error(`${full} is longer than a sAMAccountName may be`);
    return full;
  }

  async createUser(name: string, password: string, options: { upn?: string; mail?: string } = {}): Promise<SambaUser> {
    const sam = this.nameOf(name);
    const dn = `CN=${sam},${this.usersDn}`;
    const upn = options.upn ?? `${sam}@${this.domain}`;
    await this.admin((client) =>
      client.add(dn, [
        new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
        new Attribute({ type: 'sAMAccountName', values: [sam] }),
        new Attribute({ type: 'userPrincipalName', values: [upn] }),
        ...(options.mail ? [new Attribute({ type: 'mail', values: [options.mail] })] : []),
        new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
        new Attribute({ type: 'userAccountControl', values: [String(UF_NORMAL_ACCOUNT)] }),
      ]),
    );
    this.made.push(dn);
    return { name: sam, dn, upn, password };
  }

  async createGroup(name: string, members: string[]): Promise<string> {
    const sam = this.nameOf(name);
    const dn = `CN=${sam},${this.usersDn}`;
    await this.admin((client) =>
      client.add(dn, { objectClass: ['top', 'group'], sAMAccountName: sam, ...(members.length ? { member: members } : {}) }),
    );
    this.made.unshift(dn); // groups go first, before their members
    return dn;
  }

  disable(user: SambaUser): Promise<void> {
    return this.replace(user.dn, 'userAccountControl', String(UF_NORMAL_ACCOUNT | UF_ACCOUNTDISABLE));
  }

  /** "User must change password at next logon". */
  mustChangePassword(user: SambaUser): Promise<void> {
    return this.replace(user.dn, 'pwdLastSet', '0');
  }

  /** accountExpires a day ago (Windows FILETIME: 100 ns since 1601). */
  expireAccount(user: SambaUser): Promise<void> {
    const filetime = (BigInt(Date.now() - 86_400_000) + 11_644_473_600_000n) * 10_000n;
    return this.replace(user.dn, 'accountExpires', filetime.toString());
  }

  /** No logon hour allowed: AD answers 530. */
  denyAllLogonHours(user: SambaUser): Promise<void> {
    return this.admin((client) =>
      client.modify(
        user.dn,
        new Change({ operation: 'replace', modification: new Attribute({ type: 'logonHours', values: [Buffer.alloc(21)] }) }),
      ),
    );
  }

  /** An administrator's reset, twice: Samba accepts the previous password for an hour after one change. */
  async setPassword(user: SambaUser, password: string): Promise<SambaUser> {
    for (const next of [`${password}-interim`, password]) {
      await this.admin((client) =>
        client.modify(
          user.dn,
          new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(next)] }) }),
        ),
      );
    }
    return { ...user, password };
  }

  /** Binds with wrong passwords straight at the DC (not through Gatehouse) until AD locks the account. */
  async lockOut(user: SambaUser): Promise<void> {
    for (let i = 0; i < 10 && !(await this.state(user)).locked; i++) await this.badPasswords(user, 1);
    if (!(await this.state(user)).locked) throw new Error(`${user.name} did not lock`);
  }

  /** `count` wrong passwords straight at the DC, as a user's typos at a Windows PC. */
  async badPasswords(user: SambaUser, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const client = this.client();
      await client.bind(user.upn, 'Not-The-Password-1').catch((error: unknown) => {
        if (!(error instanceof InvalidCredentialsError)) throw error;
      });
      await client.unbind().catch(() => undefined);
    }
  }

  /** AD's own bad-password count and lockout for the account, as the DC keeps them. */
  async state(user: SambaUser): Promise<{ badPwdCount: number; lockoutTime: string; locked: boolean }> {
    const entry = await this.admin(async (client) => {
      const { searchEntries } = await client.search(user.dn, { scope: 'base', attributes: ['badPwdCount', 'lockoutTime'] });
      return searchEntries[0];
    });
    // ldapts gives an attribute the entry lacks as [].
    const value = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '0') : String(v ?? '0'));
    const lockoutTime = value(entry?.lockoutTime);
    return { badPwdCount: Number(value(entry?.badPwdCount)), lockoutTime, locked: lockoutTime !== '0' };
  }

  /** The domain's lockout threshold (0: never). */
  async lockoutThreshold(): Promise<number> {
    return this.admin(async (client) => {
      const { searchEntries } = await client.search(this.baseDn, { scope: 'base', attributes: ['lockoutThreshold'] });
      return Number(searchEntries[0]?.lockoutThreshold ?? 0);
    });
  }

  /** Deletes what this file made. */
  async dispose(): Promise<void> {
    await this.admin(async (client) => {
      for (const dn of this.made) await client.del(dn).catch(() => undefined);
    });
    this.made.length = 0;
  }

  private replace(dn: string, type: string, value: string): Promise<void> {
    return this.admin((client) =>
      client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) })),
    );
  }

  private client(): Client {
    return new Client({ url: this.ldapsUrl, tlsOptions: { ca: [this.caCertificate] }, timeout: 10_000, connectTimeout: 5000 });
  }

  private async admin<T>(act: (client: Client) => Promise<T>): Promise<T> {
    const client = this.client();
    try {
      await client.bind(`Administrator@${this.domain}`, ADMIN_PASSWORD);
      return await act(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

/** AD takes a password as the UTF-16LE of the quoted string, over TLS only. */
const unicodePwd = (password: string): Buffer => Buffer.from(`"${password}"`, 'utf16le');
