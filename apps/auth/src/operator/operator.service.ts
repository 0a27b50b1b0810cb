import { Inject, Injectable } from '@nestjs/common';
import { ParsedRequestOf, ReplyOf, User, DirectorySubjects, SessionsSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import { AuditService } from '../audit/audit.service';
import type { AuthConfig } from '../config';
import { PasswordsService } from '../passwords/passwords.service';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { ApprovalPaths } from './approval-paths';

type Action = 'create-admin' | 'reset-password' | 'two-factor-off' | 'end-sessions' | 'list-admins';
interface Target {
  username: string;
  domain?: string;
}

/**
 * Break-glass for operators (tools/admin): bring back an administrator who can no longer sign in.
 * Each action, done or refused, is an audit row naming the operator.
 */
@Injectable()
export class OperatorService {
  constructor(
    private readonly nats: NatsClient,
    private readonly passwords: PasswordsService,
    private readonly settings: AuthSettingsService,
    private readonly paths: ApprovalPaths,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Creates the administrator, or makes an existing user one; either way with this password. */
  createAdmin(req: ParsedRequestOf<'auth.operator.create-admin'>): Promise<ReplyOf<'auth.operator.create-admin'>> {
    return this.audited('create-admin', req.operator, req, async () => {
      const domain = this.domainOf(req);
      let user = await this.find(req.username, domain);
      const created = !user;
      if (user?.external)
        throw new AppError('unprocessable', `${user.username}@${domain} is an external user and cannot be an administrator`);
      user ??= (
        await this.nats.send(DirectorySubjects.userCreate, { domain, username: req.username, admin: true, displayName: 'Administrator' })
      ).user;
      try {
        await this.passwords.set(user.id, req.password);
      } catch (error) {
        // A refused password must not leave behind an administrator nobody can sign in as.
        if (created) await this.nats.send(DirectorySubjects.userDelete, { userId: user.id }).catch(() => undefined);
        throw error;
      }
      if (!user.admin)
        user = toUser((await this.nats.send(DirectorySubjects.userUpdate, { domain, userId: user.id, patch: { admin: true } })).user);
      return { reply: { user, created }, user, details: { created } };
    });
  }

  resetPassword(req: ParsedRequestOf<'auth.operator.reset-password'>): Promise<ReplyOf<'auth.operator.reset-password'>> {
    return this.audited('reset-password', req.operator, req, async () => {
      const user = await this.existing(req);
      await this.passwords.set(user.id, req.password);
      return { reply: { user }, user };
    });
  }

  twoFactorOff(req: ParsedRequestOf<'auth.operator.two-factor-off'>): Promise<ReplyOf<'auth.operator.two-factor-off'>> {
    return this.audited('two-factor-off', req.operator, null, async () => {
      const current = await this.settings.get();
      const settings = current.twoFactor ? await this.settings.set({ twoFactor: false }) : current;
      return { reply: { settings, changed: current.twoFactor }, details: { changed: current.twoFactor } };
    });
  }

  endSessions(req: ParsedRequestOf<'auth.operator.end-sessions'>): Promise<ReplyOf<'auth.operator.end-sessions'>> {
    return this.audited('end-sessions', req.operator, req, async () => {
      const user = await this.existing(req);
      const { revoked } = await this.nats.send(SessionsSubjects.revokeAllOfUser, { userId: user.id });
      return { reply: { user, ended: revoked }, user, details: { ended: revoked } };
    });
  }

  listAdmins(req: ParsedRequestOf<'auth.operator.list-admins'>): Promise<ReplyOf<'auth.operator.list-admins'>> {
    const domain = this.domainOf(req);
    return this.audited('list-admins', req.operator, null, async () => {
      const [paths, settings] = await Promise.all([this.paths.adminsOf(domain), this.settings.get()]);
      const admins = paths.map(({ byEmail, ...admin }) => ({ ...admin, canApprove: admin.sessions > 0 || byEmail }));
      return { reply: { domain, twoFactor: settings.twoFactor, admins }, details: { domain, count: admins.length } };
    });
  }

  private async audited<R>(
    action: Action,
    operator: string,
    target: Target | null,
    run: () => Promise<{ reply: R; user?: User; details?: Record<string, unknown> }>,
  ): Promise<R> {
    const login = target ? `${target.username}@${this.domainOf(target)}` : undefined;
    try {
      const { reply, user, details } = await run();
      await this.audit.record({
        type: 'operator',
        outcome: 'done',
        userId: user?.id,
        login,
        domain: user ? user.domain : null,
        details: { action, operator, ...details },
      });
      this.logger.warn({ event: 'auth.operator', action, operator, userId: user?.id }, `operator command ${action} done by ${operator}`);
      return reply;
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'internal_error';
      await this.audit.record({
        type: 'operator',
        outcome: 'failure',
        login,
        domain: target ? this.domainOf(target) : null,
        details: { action, operator, code },
      });
      throw error;
    }
  }

  private domainOf(target: { domain?: string }): string {
    return (target.domain ?? this.config.GATEHOUSE_DOMAIN).toLowerCase();
  }

  private async existing(target: Target): Promise<User> {
    const domain = this.domainOf(target);
    const user = await this.find(target.username, domain);
    if (!user) throw new AppError('not_found', `No user ${target.username} in ${domain}`);
    return user;
  }

  /** By user name within the domain only: a login lookup would also match someone's email address. */
  private async find(username: string, domain: string): Promise<User | null> {
    const { items } = await this.nats.send(DirectorySubjects.userList, { domain, q: username, offset: 0, limit: 200 }, { retries: 1 });
    const named = items.filter((user) => user.username.toLowerCase() === username.toLowerCase());
    const user = named.find((candidate) => candidate.username === username) ?? named[0];
    return user ? toUser(user) : null;
  }
}

/** The profile only: directory's admin view also carries the permission lists. */
const toUser = (user: User): User => User.parse(user);
