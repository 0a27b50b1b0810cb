import { Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { ParsedRequestOf, User } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { toUser } from './user.mapper';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly nats: NatsClient,
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
    return byEmail.length === 1 ? toUser(byEmail[0]) : null;
  }

  async create(request: ParsedRequestOf<'directory.user.create'>): Promise<User> {
    const row = await this.users.create(request);
    if (!row) throw new AppError('user_exists', `${request.username}@${request.domain} already exists`);
    const user = toUser(row);
    await this.nats.emit('directory.user.created', { user });
    return user;
  }

  async delete(userId: string): Promise<boolean> {
    const row = await this.users.delete(userId);
    if (!row) return false;
    await this.nats.emit('directory.user.deleted', { userId: row.id, domain: row.domain, username: row.username, external: row.external });
    return true;
  }
}
