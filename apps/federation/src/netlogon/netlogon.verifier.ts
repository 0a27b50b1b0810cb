import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { NetlogonRefusal } from '@gatehouse/contracts';
import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock, LOGGER, Logger } from '@gatehouse/platform';
import { Client, Entry, InvalidCredentialsError, ResultCodeError, StrongAuthRequiredError } from 'ldapts';
import { REFUSAL_TEXT, adSubCode, refusalOf } from './ad-bind-error';
import { BadPasswordsRepository } from './bad-passwords.repository';
import {
  DEFAULT_BAD_PASSWORD_WINDOW_MINUTES,
  DEFAULT_MAX_BAD_PASSWORDS,
  NetlogonIdentity,
  NetlogonSettings,
  domainControllers,
  netbiosNameOf,
} from './netlogon-settings';

export type NetlogonResult = { ok: true; identity: NetlogonIdentity } | { ok: false; refusal?: NetlogonRefusal };

/** The Gatehouse user's email (for the userPrincipalName mapping) and the Windows domain the user typed, if any. */
export interface NetlogonLogin {
  email?: string | null;
  domain?: string;
}

/** LDAP filter value escaping (RFC 4515) so a user name cannot widen the search. */
export const escapeFilter = (value: string): string =>
  value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Windows' "member of, directly or through nested groups" (LDAP_MATCHING_RULE_IN_CHAIN). */
const IN_CHAIN = '1.2.840.113556.1.4.1941';

/** Which account to bind: a name in upn mode, a search filter in search mode. */
type Account = { upn: string } | { filter: string };

/**
 * Verifies a Windows password by an LDAP bind; never logs or returns the password. Binds only the
 * account that belongs to the given Gatehouse user, and at most `maxBadPasswords` wrong passwords
 * per account within the window, so Gatehouse stays below the domain's lockout threshold.
 */
@Injectable()
export class NetlogonVerifier {
  constructor(
    @Optional() @Inject(LOGGER) private readonly logger?: Logger,
    @Optional() private readonly badPasswords?: BadPasswordsRepository,
    @Optional() private readonly clock?: Clock,
  ) {}

  async verify(settings: NetlogonSettings, username: string, password: string, login: NetlogonLogin = {}): Promise<NetlogonResult> {
    // An empty password would be an anonymous ("unauthenticated") bind that many servers accept.
    if (password.length === 0 || username.length === 0) return { ok: false };
    if (login.domain !== undefined && !sameDomain(settings, login.domain)) return { ok: false };
    const account = accountOf(settings, username, login.email ?? undefined);
    if (!account) return { ok: false };
    return this.withDomainController(settings, async (client) => {
      const found = 'upn' in account ? null : await this.findAccount(client, settings, account.filter);
      if (!('upn' in account) && !found) return { ok: false };
      if (found) await this.refuseNearLockout(client, settings, found);
      const dn = 'upn' in account ? account.upn : found!.dn;
      const refused = await this.bindUser(client, settings, dn, password, guardKey(settings, username, login.email ?? undefined));
      if (refused) return refused;
      const entry =
        'upn' in account ? (settings.requiredGroup ? await this.ownEntry(client, settings, username, account.upn) : null) : found;
      if (settings.requiredGroup && !(entry && (await this.inGroup(client, entry.dn, settings.requiredGroup)))) {
        return this.refuse(settings, dn, { code: 'not_in_group', proven: true });
      }
      return { ok: true, identity: identityOf(account, entry, username) };
    });
  }

  /**
   * Tries each domain controller in order; the next one only when this one did not answer (a
   * refused bind is the domain's answer and is not asked again elsewhere).
   */
  async withDomainController<T>(settings: NetlogonSettings, operation: (client: Client, url: string) => Promise<T>): Promise<T> {
    const urls = domainControllers(settings);
    for (let index = 0; ; index++) {
      const url = urls[index];
      let client: Client | undefined;
      try {
        client = await this.connect(settings, url);
        return await operation(client, url);
      } catch (error) {
        if (error instanceof AppError) throw error;
        const outage = this.unavailable(url, error);
        if (index === urls.length - 1 || isLdapAnswer(error)) throw outage;
      } finally {
        await client?.unbind().catch(() => undefined);
      }
    }
  }

  /** The service account finds the user's DN; zero or several matches are refused like a wrong password. */
  private async findAccount(client: Client, settings: NetlogonSettings, filter: string): Promise<Entry | null> {
    const account = settings.serviceAccount;
    if (!account || !settings.searchBase)
      throw new AppError('validation_failed', 'search bind mode needs a service account and search base');
    await this.bindServiceAccount(client, settings, account);
    const { searchEntries } = await client.search(settings.searchBase, {
      scope: 'sub',
      filter,
      attributes: [...ATTRIBUTES, 'badPwdCount', 'lockoutTime'],
      sizeLimit: 2,
    });
    return searchEntries.length === 1 ? searchEntries[0] : null;
  }

  /**
   * Search mode sees AD's own count (the user's typos at a PC included): when one more bad password
   * would lock the account, Gatehouse leaves that attempt to Windows and does not bind.
   */
  private async refuseNearLockout(client: Client, settings: NetlogonSettings, entry: Entry): Promise<void> {
    const count = Number(firstValue(entry.badPwdCount) ?? NaN);
    // Already locked: the bind changes nothing and AD's answer (775) tells the admin so.
    if (!Number.isInteger(count) || count === 0 || (firstValue(entry.lockoutTime) ?? '0') !== '0') return;
    const threshold = await this.lockoutThreshold(client, settings);
    if (threshold === 0 || count < threshold - 1) return;
    this.logger?.warn(
      { event: 'netlogon.near_lockout', account: entry.dn, badPwdCount: count, lockoutThreshold: threshold },
      `Netlogon: ${entry.dn} not bound: AD counts ${count} bad passwords of ${threshold}; one more would lock it`,
    );
    const windowMinutes = (settings.badPasswordWindowMs ?? DEFAULT_BAD_PASSWORD_WINDOW_MINUTES * 60_000) / 60_000;
    throw new AppError('rate_limited', 'Too many wrong Windows passwords; try again later', {
      retryAfterSeconds: Math.ceil(windowMinutes * 60),
      reason: 'ad_near_lockout',
    });
  }

  /** The domain's lockout threshold (0: none, or not an AD domain). */
  private async lockoutThreshold(client: Client, settings: NetlogonSettings): Promise<number> {
    const domainDn = settings.domain
      .split('.')
      .map((part) => `DC=${part}`)
      .join(',');
    const { searchEntries } = await client
      .search(domainDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['lockoutThreshold'] })
      .catch(() => ({ searchEntries: [] as Entry[] }));
    const threshold = Number(firstValue(searchEntries[0]?.lockoutThreshold) ?? 0);
    return Number.isInteger(threshold) ? threshold : 0;
  }

  /** A wrong service account password is a configuration fault, and AD would lock that account too: guarded like any other. */
  async bindServiceAccount(client: Client, settings: NetlogonSettings, account: { dn: string; password: string }): Promise<void> {
    const key = accountKey(account.dn);
    const retryAfterSeconds = await this.reserve(settings, key);
    if (retryAfterSeconds !== 0) {
      this.logger?.error(
        { event: 'netlogon.bad_password_guard', account: account.dn },
        `Netlogon: the service account ${account.dn} is not bound again until the wrong-password window ends`,
      );
      throw new AppError(
        'netlogon_unavailable',
        'The domain controller refused the service account too often; Gatehouse waits before binding it again',
        {
          reason: 'service_account_guard',
          retryAfterSeconds,
        },
      );
    }
    try {
      await client.bind(account.dn, account.password);
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError)) {
        await this.badPasswords?.release(key);
        throw error;
      }
      const adCode = adSubCode(error.message);
      this.logger?.error(
        { event: 'netlogon.service_account_refused', domainController: settings.url, adCode },
        `Netlogon: the domain controller refused the service account ${account.dn} (${adCode ? `data ${adCode}` : 'invalid credentials'})`,
      );
      throw new AppError('netlogon_unavailable', 'The domain controller refused the service account', {
        reason: 'service_account',
        ...(adCode ? { adCode } : {}),
      });
    }
    await this.badPasswords?.clear(key);
  }

  /** undefined: the password is right; otherwise the refusal (a plain wrong password counts towards the guard). */
  private async bindUser(
    client: Client,
    settings: NetlogonSettings,
    name: string,
    password: string,
    key: string,
  ): Promise<NetlogonResult | undefined> {
    const retryAfterSeconds = await this.reserve(settings, key);
    if (retryAfterSeconds !== 0) {
      this.logger?.warn(
        { event: 'netlogon.bad_password_guard', account: name },
        `Netlogon: ${name} not bound: the wrong-password limit is reached until the window ends`,
      );
      throw new AppError('rate_limited', 'Too many wrong Windows passwords; try again later', {
        retryAfterSeconds,
        reason: 'bad_password_guard',
      });
    }
    try {
      await client.bind(name, password);
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError)) {
        await this.badPasswords?.release(key);
        throw error;
      }
      const refusal = refusalOf(adSubCode(error.message));
      if (!refusal) {
        this.logger?.info({ event: 'netlogon.wrong_password', account: name }, `Netlogon: wrong password for ${name}`);
        return { ok: false };
      }
      // AD did not count this one as a bad password (right password, or already locked).
      await this.badPasswords?.release(key);
      return this.refuse(settings, name, refusal);
    }
    await this.badPasswords?.clear(key);
    return undefined;
  }

  private refuse(settings: NetlogonSettings, account: string, refusal: NetlogonRefusal): NetlogonResult {
    this.logger?.warn(
      { event: 'netlogon.account_refused', account, refusal: refusal.code, adCode: refusal.adCode, domainController: settings.url },
      `Netlogon: ${account} refused: ${REFUSAL_TEXT[refusal.code]}${refusal.adCode ? ` (data ${refusal.adCode})` : ''}`,
    );
    return { ok: false, refusal };
  }

  /** 0: an attempt is taken; otherwise the seconds until the guard's window ends. */
  private async reserve(settings: NetlogonSettings, key: string): Promise<number> {
    if (!this.badPasswords) return 0;
    const windowMs = settings.badPasswordWindowMs ?? DEFAULT_BAD_PASSWORD_WINDOW_MINUTES * 60_000;
    const now = this.clock?.now() ?? new Date();
    const reserved = await this.badPasswords.reserve(key, settings.maxBadPasswords ?? DEFAULT_MAX_BAD_PASSWORDS, now, windowMs);
    return reserved.taken ? 0 : Math.max(1, Math.ceil((reserved.retryAt.getTime() - now.getTime()) / 1000));
  }

  /** In upn mode the user, now bound, reads its own entry (for the group check). */
  private async ownEntry(client: Client, settings: NetlogonSettings, username: string, upn: string): Promise<Entry | null> {
    const base =
      settings.searchBase ??
      settings.domain
        .split('.')
        .map((part) => `DC=${part}`)
        .join(',');
    const filter =
      (settings.loginAttribute ?? 'sAMAccountName') === 'sAMAccountName'
        ? `(sAMAccountName=${escapeFilter(username)})`
        : `(userPrincipalName=${escapeFilter(upn)})`;
    const { searchEntries } = await client.search(base, { scope: 'sub', filter, attributes: ATTRIBUTES, sizeLimit: 2 });
    return searchEntries.length === 1 ? searchEntries[0] : null;
  }

  private async inGroup(client: Client, dn: string, group: string): Promise<boolean> {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      filter: `(memberOf:${IN_CHAIN}:=${escapeFilter(group)})`,
      attributes: ['dn'],
    });
    return searchEntries.length === 1;
  }

  async connect(settings: NetlogonSettings, urlText: string): Promise<Client> {
    const url = new URL(urlText);
    if (url.protocol !== 'ldaps:' && url.protocol !== 'ldap:')
      throw new AppError('validation_failed', 'Netlogon URL must be ldap:// or ldaps://');
    // tlsOptions only for ldaps://: on an ldap:// client ldapts would take them as "connect with TLS".
    const tlsOptions = url.protocol === 'ldaps:' ? trustFor(url, settings) : undefined;
    const client = new Client({ url: urlText, timeout: settings.timeoutMs, connectTimeout: settings.timeoutMs, tlsOptions });
    if (url.protocol === 'ldap:' && !settings.allowPlainLdap) {
      try {
        await withTimeout(client.startTLS(trustFor(url, settings)), settings.timeoutMs);
      } catch (error) {
        await client.unbind().catch(() => undefined);
        throw error;
      }
    }
    return client;
  }

  /** The cause goes to the log for the admin (named, e.g. the TLS failure); the caller gets the code and the reason's name. */
  unavailable(url: string, error: unknown): AppError {
    const cause = outageOf(error);
    const message = error instanceof Error ? error.message : String(error);
    this.logger?.warn(
      { event: 'netlogon.unavailable', domainController: new URL(url).host, reason: cause.reason, errorCode: cause.errorCode },
      `Netlogon: ${cause.log} (${new URL(url).host}): ${message}`,
    );
    return new AppError('netlogon_unavailable', cause.message, { reason: cause.reason });
  }
}

const ATTRIBUTES = ['sAMAccountName', 'uid', 'userPrincipalName', 'mail'];

/**
 * The Windows account of a Gatehouse user: by its username (sAMAccountName) or its email
 * (userPrincipalName). null when it has none: nothing is sent to the domain controller.
 */
export function accountOf(settings: NetlogonSettings, username: string, email?: string): Account | null {
  if ((settings.loginAttribute ?? 'sAMAccountName') === 'userPrincipalName') {
    if (!email || !/^[^@\s,=\\"<>;/]+@[A-Za-z0-9.-]+$/.test(email)) return null;
    return settings.bindMode === 'upn' ? { upn: email } : { filter: `(userPrincipalName=${escapeFilter(email)})` };
  }
  if (settings.bindMode === 'upn') {
    const upn = upnOf(username, settings.domain);
    return upn ? { upn } : null;
  }
  const name = escapeFilter(username);
  // uid: directories other than AD (OpenLDAP) name accounts by uid.
  return { filter: `(|(sAMAccountName=${name})(uid=${name}))` };
}

/** ldapts gives single values as strings and missing ones as []. */
const firstValue = (value: unknown): string | undefined =>
  Array.isArray(value) ? firstValue(value[0]) : typeof value === 'string' ? value : undefined;

function identityOf(account: Account, entry: Entry | null, username: string): NetlogonIdentity {
  const first = firstValue;
  if ('upn' in account && !entry) return { username: account.upn.split('@')[0], upn: account.upn };
  const upn = first(entry?.userPrincipalName) ?? ('upn' in account ? account.upn : undefined);
  return {
    username: first(entry?.sAMAccountName) ?? first(entry?.uid) ?? username,
    ...(first(entry?.mail) ? { email: first(entry?.mail) } : {}),
    ...(upn ? { upn } : {}),
  };
}

/** The typed Windows domain: the DNS domain (alice@corp.example) or the NetBIOS name (CORP\alice). */
function sameDomain(settings: NetlogonSettings, domain: string): boolean {
  const typed = domain.toLowerCase();
  return typed === settings.domain.toLowerCase() || typed === netbiosNameOf(settings).toLowerCase();
}

/** The guard's key for the service account: its DN. */
const accountKey = (name: string): string => sha256(name.trim().toLowerCase());

/** The guard's key for a user's account: the same in both bind modes, however the user typed the name. */
const guardKey = (settings: NetlogonSettings, username: string, email?: string): string =>
  accountKey(
    (settings.loginAttribute ?? 'sAMAccountName') === 'userPrincipalName' ? `upn:${email}` : `sam:${settings.domain}\\${username}`,
  );

/**
 * `user` or `user@<the configured domain>` as a UPN; null for another domain's UPN or a name that
 * is no account name (a DN, `DOMAIN\\user`): those are not sent to the domain controller at all.
 */
export function upnOf(username: string, domain: string): string | null {
  const at = username.lastIndexOf('@');
  const user = at < 0 ? username : username.slice(0, at);
  if (at >= 0 && username.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  if (user.length === 0 || /[,=\\"<>;@/]/.test(user)) return null;
  return `${user}@${domain}`;
}

/**
 * Certificate and host name always verified: the configured CA(s) replace Node's default trust
 * store when set, so a company CA needs no NODE_EXTRA_CA_CERTS and a public CA cannot stand in.
 */
function trustFor(url: URL, settings: NetlogonSettings): ConnectionOptions {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    // SNI takes a DNS name only; an IP address is still checked against the certificate's IP SANs.
    ...(isIP(host) ? {} : { servername: host }),
    ...(settings.caCertificate ? { ca: [settings.caCertificate] } : {}),
    rejectUnauthorized: true,
  };
}

/** Node's certificate and TLS error codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, …). */
const TLS_FAILURE = /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE)/;

/** An LDAP result (the server answered, e.g. "strong auth required"): another DC would answer the same. */
const isLdapAnswer = (error: unknown): boolean => error instanceof ResultCodeError;

export type OutageReason = 'tls' | 'strong_auth_required' | 'connection_refused' | 'timeout' | 'dns' | 'ldap_error' | 'connection';

/** Names the outage for the log, the caller and the save check. */
export function outageOf(error: unknown): { reason: OutageReason; message: string; log: string; errorCode?: string } {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && TLS_FAILURE.test(code)) {
    return {
      reason: 'tls',
      errorCode: code,
      message: 'The TLS connection to the domain controller failed',
      log: `TLS with the domain controller failed (${code})`,
    };
  }
  if (error instanceof StrongAuthRequiredError) {
    return {
      reason: 'strong_auth_required',
      errorCode: 'strongAuthRequired',
      message: 'The domain controller requires TLS (LDAP signing): use ldaps:// or StartTLS instead of allowPlainLdap',
      log: 'the domain controller requires TLS for simple binds (strongAuthRequired); turn allowPlainLdap off',
    };
  }
  if (error instanceof ResultCodeError) {
    return {
      reason: 'ldap_error',
      errorCode: String(error.code),
      message: 'The domain controller refused the request',
      log: `the domain controller answered LDAP result ${error.code}`,
    };
  }
  if (code === 'ECONNREFUSED')
    return {
      reason: 'connection_refused',
      errorCode: code,
      message: 'The domain controller refused the connection',
      log: 'the domain controller refused the connection',
    };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return {
      reason: 'dns',
      errorCode: code,
      message: "The domain controller's name does not resolve",
      log: "the domain controller's name does not resolve",
    };
  if (/timed? ?out/i.test(message) || code === 'ETIMEDOUT')
    return {
      reason: 'timeout',
      errorCode: code,
      message: 'The domain controller did not answer in time',
      log: 'the domain controller did not answer in time',
    };
  return {
    reason: 'connection',
    errorCode: code,
    message: 'The domain controller did not answer',
    log: 'the domain controller did not answer',
  };
}

const errorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** ldapts bounds the StartTLS request but not the handshake after it; a stalled handshake is an outage. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`TLS handshake timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
