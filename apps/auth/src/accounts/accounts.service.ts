import { Injectable } from '@nestjs/common';
import { AccountCreateReq, AccountUpdateReq, UserDetails, DirectorySubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { PasswordsService } from '../passwords/passwords.service';

/**
 * Accounts as administrators make and change them: `directory` keeps the profile and permissions
 * (and decides which domains the administrator reaches), `auth` the password.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly nats: NatsClient,
    private readonly passwords: PasswordsService,
  ) {}

  /** The user, then the password; a refused password (weak_password) deletes the user again. */
  async create({ actor, password, domain, ...profile }: AccountCreateReq): Promise<UserDetails> {
    const { user } = await this.nats.send(DirectorySubjects.userCreate, { actor, ...profile, domain: domain ?? actor.domain });
    if (password !== undefined) {
      try {
        await this.passwords.set(user.id, password);
      } catch (error) {
        // The compensation acts for the installation: the administrator's own scope made the user.
        await this.nats.send(DirectorySubjects.userDelete, { userId: user.id }).catch(() => undefined);
        throw error;
      }
    }
    return (await this.nats.send(DirectorySubjects.userDetailsGet, { actor, userId: user.id })).user;
  }

  /**
   * A new password is set only for a user the administrator reaches (directory answers not_found
   * otherwise), and before the profile, so a refused password changes nothing.
   */
  async update({ actor, userId, patch: { password, ...patch } }: AccountUpdateReq): Promise<UserDetails> {
    if (password !== undefined) {
      await this.nats.send(DirectorySubjects.userDetailsGet, { actor, userId });
      // directory refuses an administrator's own admin flag: the password must stay as it was then.
      const demotesSelf = actor.userId === userId && patch.admin === false;
      if (!demotesSelf) await this.passwords.set(userId, password);
    }
    return (await this.nats.send(DirectorySubjects.userUpdate, { actor, userId, patch })).user;
  }
}
