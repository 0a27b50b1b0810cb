import { Inject, Injectable } from '@nestjs/common';
import { AuthType, User, allows, DirectorySubjects } from '@gatehouse/contracts';
import { CONFIG, NatsClient } from '@gatehouse/platform';
import type { AuthConfig } from '../config';

export interface FoundLogin {
  user: User | null;
  /** Set when the user was found from a Windows form of the name (`CORP\alice`, `alice@corp.example`): the domain typed. */
  windowsDomain?: string;
}

/**
 * The Gatehouse user a typed login names: a SIP name, `name@domain` or an email; with Netlogon on,
 * also the Windows forms `DOMAIN\user` and `user@windows-domain`, whose domain federation checks.
 */
@Injectable()
export class LoginUserFinder {
  constructor(
    private readonly nats: NatsClient,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  async find(login: string, type: AuthType): Promise<FoundLogin> {
    const { user } = await this.nats.send(DirectorySubjects.userFindByLogin, { login, defaultDomain: this.config.GATEHOUSE_DOMAIN });
    if (user || !allows(type).windowsPassword) return { user };
    const windows = windowsLogin(login);
    if (!windows) return { user: null };
    const found = await this.nats.send(DirectorySubjects.userFindByLogin, {
      login: windows.account,
      defaultDomain: this.config.GATEHOUSE_DOMAIN,
    });
    return { user: found.user, windowsDomain: windows.domain };
  }
}

/** `CORP\alice` or `alice@corp.example` as account and domain; null for any other name. */
export function windowsLogin(login: string): { account: string; domain: string } | null {
  const slash = login.indexOf('\\');
  if (slash >= 0) {
    const [domain, account] = [login.slice(0, slash), login.slice(slash + 1)];
    return domain && account && !/[\\@]/.test(account) ? { account, domain } : null;
  }
  const at = login.indexOf('@');
  if (at < 0 || at !== login.lastIndexOf('@')) return null;
  const [account, domain] = [login.slice(0, at), login.slice(at + 1)];
  return account && domain ? { account, domain } : null;
}
