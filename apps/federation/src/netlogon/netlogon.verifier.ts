import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { LOGGER, Logger } from '@gatehouse/platform';
import { Client, InvalidCredentialsError } from 'ldapts';
import { NetlogonIdentity, NetlogonSettings } from './netlogon-settings';

export type NetlogonResult = { ok: true; identity: NetlogonIdentity } | { ok: false };

/** LDAP filter value escaping (RFC 4515) so a user name cannot widen the search. */
const escapeFilter = (value: string): string => value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Verifies a Windows password by an LDAP bind; never logs or returns the password. */
@Injectable()
export class NetlogonVerifier {
  constructor(@Optional() @Inject(LOGGER) private readonly logger?: Logger) {}

  async verify(settings: NetlogonSettings, username: string, password: string): Promise<NetlogonResult> {
    // An empty password would be an anonymous ("unauthenticated") bind that many servers accept.
    if (password.length === 0 || username.length === 0) return { ok: false };
    const upn = settings.bindMode === 'upn' ? upnOf(username, settings.domain) : undefined;
    if (upn === null) return { ok: false };
    const client = await this.connect(settings);
    try {
      return upn ? await this.bindUpn(client, upn, password) : await this.bindSearch(client, settings, username, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return { ok: false };
      if (error instanceof AppError) throw error;
      throw this.unavailable(settings, error);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async connect(settings: NetlogonSettings): Promise<Client> {
    const url = new URL(settings.url);
    if (url.protocol !== 'ldaps:' && url.protocol !== 'ldap:') throw new AppError('validation_failed', 'Netlogon URL must be ldap:// or ldaps://');
    // tlsOptions only for ldaps://: on an ldap:// client ldapts would take them as "connect with TLS".
    const tlsOptions = url.protocol === 'ldaps:' ? trustFor(url, settings) : undefined;
    const client = new Client({ url: settings.url, timeout: settings.timeoutMs, connectTimeout: settings.timeoutMs, tlsOptions });
    if (url.protocol === 'ldap:' && !settings.allowPlainLdap) {
      try {
        await withTimeout(client.startTLS(trustFor(url, settings)), settings.timeoutMs);
      } catch (error) {
        await client.unbind().catch(() => undefined);
        throw this.unavailable(settings, error);
      }
    }
    return client;
  }

  /** The cause goes to the log for the admin (a TLS failure by name); the caller gets only the code. */
  private unavailable(settings: NetlogonSettings, error: unknown): AppError {
    const code = errorCode(error);
    const tls = code !== undefined && TLS_FAILURE.test(code);
    const message = error instanceof Error ? error.message : String(error);
    this.logger?.warn(
      { domainController: new URL(settings.url).host, reason: tls ? 'tls' : 'connection', errorCode: code },
      tls ? `Netlogon: TLS with the domain controller failed (${code}): ${message}` : `Netlogon: the domain controller did not answer: ${message}`,
    );
    return tls
      ? new AppError('netlogon_unavailable', 'The TLS connection to the domain controller failed', { reason: 'tls' })
      : new AppError('netlogon_unavailable', 'The domain controller did not answer', { reason: error instanceof Error ? error.name : 'unknown' });
  }

  private async bindUpn(client: Client, upn: string, password: string): Promise<NetlogonResult> {
    await client.bind(upn, password);
    return { ok: true, identity: { username: upn.split('@')[0], upn } };
  }

  private async bindSearch(client: Client, settings: NetlogonSettings, username: string, password: string): Promise<NetlogonResult> {
    const account = settings.serviceAccount;
    if (!account || !settings.searchBase) throw new AppError('validation_failed', 'search bind mode needs a service account and search base');
    await client.bind(account.dn, account.password);
    const login = escapeFilter(username);
    const { searchEntries } = await client.search(settings.searchBase, {
      scope: 'sub',
      filter: `(|(uid=${login})(sAMAccountName=${login})(userPrincipalName=${login})(mail=${login}))`,
      attributes: ['uid', 'sAMAccountName', 'userPrincipalName', 'mail'],
      sizeLimit: 2,
    });
    // Zero or several matches: refuse like a wrong password, without telling which.
    if (searchEntries.length !== 1) return { ok: false };
    const entry = searchEntries[0];
    await client.bind(entry.dn, password);
    const first = (value: unknown): string | undefined => (Array.isArray(value) ? first(value[0]) : typeof value === 'string' ? value : undefined);
    return {
      ok: true,
      identity: {
        username: first(entry.sAMAccountName) ?? first(entry.uid) ?? username,
        email: first(entry.mail),
        upn: first(entry.userPrincipalName),
      },
    };
  }
}

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
