import { Injectable } from '@nestjs/common';
import { principalOf, User, MailerSubjects, SessionsSubjects, DirectorySubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { CredentialsRepository } from '../passwords/credentials.repository';

/** Directory pages are at most this long; admins are a handful, so the pages are few. */
const PAGE = 200;
const AUTH = { kind: 'system', service: 'auth' } as const;

/** An administrator and the ways a new login of theirs could be approved. */
export interface AdminApprovalPaths {
  user: User;
  hasPassword: boolean;
  /** Live sessions, each of which could approve. */
  sessions: number;
  /** An email address while mail is configured: the emailed link approves. */
  byEmail: boolean;
}

/**
 * The administrators of a domain and whether a new login of theirs could be approved: a live session
 * to approve from, or an email address while mail is configured (as ApprovalRequestsService decides).
 */
@Injectable()
export class ApprovalPaths {
  constructor(
    private readonly nats: NatsClient,
    private readonly credentials: CredentialsRepository,
  ) {}

  async adminsOf(domain: string): Promise<AdminApprovalPaths[]> {
    const admins = await this.listAdmins(domain);
    const { config: mail } = await this.nats.send(MailerSubjects.configGet, { actor: AUTH }).catch(() => ({ config: null }));
    return Promise.all(
      admins.map(async (user) => {
        const [{ sessions }, hasPassword] = await Promise.all([
          this.nats.send(SessionsSubjects.list, { userId: user.id }),
          this.credentials.hasPassword(user.id),
        ]);
        return { user, hasPassword, sessions: sessions.length, byEmail: !!user.email && !!mail };
      }),
    );
  }

  private async listAdmins(domain: string): Promise<User[]> {
    const admins: User[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.nats.send(DirectorySubjects.userList, { domain, offset, limit: PAGE }, { retries: 1 });
      // The profile only (User strips the permission lists).
      admins.push(...page.items.filter((user) => principalOf(user).admin).map((user) => User.parse(user)));
      if (offset + PAGE >= page.total) return admins;
    }
  }
}
