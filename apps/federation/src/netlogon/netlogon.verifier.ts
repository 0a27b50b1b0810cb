import { Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { Client, InvalidCredentialsError } from 'ldapts';
import { NetlogonIdentity, NetlogonSettings } from './netlogon-settings';

export type NetlogonResult = { ok: true; identity: NetlogonIdentity } | { ok: false };

/** LDAP filter value escaping (RFC 4515) so a user name cannot widen the search. */
const escapeFilter = (value: string): string => value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Verifies a Windows password by an LDAP bind; never logs or returns the password. */
@Injectable()
export class NetlogonVerifier {
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
      throw unavailable(error);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async connect(settings: NetlogonSettings): Promise<Client> {
    const url = new URL(settings.url);
    if (url.protocol !== 'ldaps:' && url.protocol !== 'ldap:') throw new AppError('validation_failed', 'Netlogon URL must be ldap:// or ldaps://');
    const client = new Client({ url: settings.url, timeout: settings.timeoutMs, connectTimeout: settings.timeoutMs });
    if (url.protocol === 'ldap:' && !settings.allowPlainLdap) {
      try {
        await client.startTLS({});
      } catch (error) {
        throw unavailable(error);
      }
    }
    return client;
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

const unavailable = (error: unknown): AppError =>
  new AppError('netlogon_unavailable', 'The domain controller did not answer', {
    reason: error instanceof Error ? error.name : 'unknown',
  });
