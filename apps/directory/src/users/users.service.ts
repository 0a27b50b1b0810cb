import { Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { Actor, ParsedRequestOf, User, UserDetails, UserPatch, DirectorySubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { AdminScope, NOWHERE } from '../admin-scope';
import { AppsChangedNotifier } from '../user-apps/apps-changed.notifier';
import { toListedUserDetails, toUser, toUserDetails } from './user.mapper';
import { GrantIds, Taken, UsersRepository, isTaken } from './users.repository';

type Grants = Pick<UserPatch, 'templates' | 'apps' | 'devices'>;

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly nats: NatsClient,
    private readonly appsChanged: AppsChangedNotifier,
    private readonly scope: AdminScope,
  ) {}

  async get(userId: string): Promise<User | null> {
    const row = await this.users.findById(userId);
    return row ? toUser(row) : null;
  }

  /**
   * Seed 000: users log in with their SIP name (or URI) or their email address.
   * `name`, `sip:name@domain`, `name@domain` and `email@anywhere` are all accepted.
   */
  async findByLogin(login: string, defaultDomain: string): Promise<User | null> {
    const value = login.trim().replace(/^sip:/i, '');
    const at = value.lastIndexOf('@');
    if (at < 0) {
      const row = await this.users.findByName(defaultDomain, value);
      return row ? toUser(row) : null;
    }
    const name = value.slice(0, at);
    const domain = value.slice(at + 1).toLowerCase();
    const byName = await this.users.findByName(domain, name);
    if (byName) return toUser(byName);
    const byEmail = await this.users.findByEmail(value);
    return byEmail ? toUser(byEmail) : null;
  }

  async create(request: ParsedRequestOf<'directory.user.create'>): Promise<User> {
    const { actor, templates, apps, devices, ...profile } = request;
    this.scope.assertDomain(actor, request.domain);
    const grants = await this.resolve(request.domain, { templates, apps, devices });
    const row = await this.users.create(profile, grants);
    if (isTaken(row)) throw takenError(row, `${request.username}@${request.domain}`);
    const user = toUser(row);
    await this.nats.emit(DirectorySubjects.userCreated, { user });
    return user;
  }

  /** One user as an administrator sees them; a user outside the actor's domains is not found. */
  async details(actor: Actor, userId: string): Promise<UserDetails> {
    const row = await this.users.findDetails(userId, this.scope.reach(actor));
    if (!row) throw new AppError('not_found', 'No such user');
    return toUserDetails(row);
  }

  async list(actor: Actor | undefined, domain: string, offset: number, limit: number, q?: string) {
    this.scope.assertDomain(actor, domain);
    const { rows, total } = await this.users.list(domain, offset, limit, q);
    return { items: rows.map(toListedUserDetails), total, offset, limit };
  }

  async update({ actor, domain: named, userId, patch }: ParsedRequestOf<'directory.user.update'>): Promise<UserDetails> {
    const user = await this.inScope(actor, userId, named);
    if (actor?.kind === 'admin' && actor.userId === userId && patch.admin === false) {
      throw new AppError('forbidden', 'Administrators cannot take away their own admin flag');
    }
    const { templates, apps, devices, ...profile } = patch;
    const grants = await this.resolve(user.domain, { templates, apps, devices });
    const row = await this.users.update(user.domain, userId, profile, grants);
    if (!row) throw new AppError('not_found', 'No such user');
    if (isTaken(row)) throw takenError(row, '');
    if (Object.keys(profile).length > 0) await this.nats.emit(DirectorySubjects.userUpdated, { user: toUser(row) });
    if (templates || apps || devices) await this.appsChanged.notify([userId]);
    const details = await this.users.findDetails(userId, user.domain);
    if (!details) throw new AppError('not_found', 'No such user');
    return toUserDetails(details);
  }

  /**
   * The deleted user's domain; null when there is no such user. With an actor (an administrator's request) a user outside its
   * domains is not found, and administrators cannot delete themselves.
   */
  async delete(actor: Actor | undefined, userId: string): Promise<string | null> {
    if (actor?.kind === 'admin' && actor.userId === userId) throw new AppError('forbidden', 'Administrators cannot delete themselves');
    const row = await this.users.delete(userId, this.scope.reach(actor));
    if (!row) {
      if (actor) throw new AppError('not_found', 'No such user');
      return null;
    }
    await this.nats.emit(DirectorySubjects.userDeleted, {
      userId: row.id,
      domain: row.domain,
      username: row.username,
      external: row.external,
    });
    return row.domain;
  }

  /** The user, when the actor (and the caller's own `domain` filter) reaches them; else not_found. */
  private async inScope(actor: Actor | undefined, userId: string, named?: string) {
    const domain = this.scope.filter(actor, named);
    const row = domain === NOWHERE ? null : await this.users.findById(userId, domain);
    if (!row) throw new AppError('not_found', 'No such user');
    return row;
  }

  /** Template names and app ids of the user's domain; anything unknown is refused before a row changes. */
  private async resolve(domain: string, grants: Grants): Promise<GrantIds> {
    const { ids, missing } = await this.users.resolveGrants(domain, grants);
    if (missing.templates.length) {
      throw new AppError('validation_failed', `templates: no such template in ${domain}: ${missing.templates.join(', ')}`, {
        field: 'templates',
        unknown: missing.templates,
      });
    }
    if (missing.apps.length) {
      throw new AppError('validation_failed', `apps: no such app in ${domain}: ${missing.apps.join(', ')}`, {
        field: 'apps',
        unknown: missing.apps,
      });
    }
    if (missing.notDeviceApps.length) {
      throw new AppError(
        'validation_failed',
        `devices: only phone apps (deviceApp) can be assigned to a device: ${missing.notDeviceApps.join(', ')}`,
        {
          field: 'devices',
          unknown: missing.notDeviceApps,
        },
      );
    }
    return ids;
  }
}

/**
 * A name is checked in the admin's own domain, where they see it anyway. An email is unique in the whole
 * installation, so the answer says only that it is in use, never by whom or in which domain.
 */
function takenError({ taken }: Taken, name: string): AppError {
  if (taken === 'email') return new AppError('email_exists', 'This email address is already in use', { field: 'email' });
  return new AppError('user_exists', `${name} already exists (user names are compared ignoring case)`, { field: 'username' });
}
