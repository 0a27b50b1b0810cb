import { Injectable } from '@nestjs/common';
import { DirectorySubjects, ParsedRequestOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { SecretVerifier } from '../login/secret-verifier';
import { PasswordsService } from '../passwords/passwords.service';
import { AuthSettingsService } from '../settings/auth-settings.service';

/**
 * The account's own settings on the side of `auth` (issue 19): a signed-in user changes their
 * password with the current one, or within minutes of signing in (the gateway says which).
 */
@Injectable()
export class OwnAccountService {
  constructor(
    private readonly nats: NatsClient,
    private readonly verifier: SecretVerifier,
    private readonly passwords: PasswordsService,
    private readonly settings: AuthSettingsService,
  ) {}

  async changePassword(req: ParsedRequestOf<'auth.own-account.password-change'>): Promise<void> {
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId: req.userId });
    if (!user) throw new AppError('not_found', 'No such user');
    if (user.external) throw new AppError('unprocessable', 'External users have no password');
    if (req.currentPassword !== undefined) {
      const settings = await this.settings.get();
      const method = await this.verifier.verify(settings.type, user, user.username, req.currentPassword, undefined, true);
      if (method === 'netlogon')
        throw new AppError('unprocessable', 'This account signs in with its Windows domain password: change it there');
      if (method !== 'password') throw new AppError('invalid_credentials', 'The current password is wrong');
    } else if (!req.recentSignIn) {
      throw new AppError('forbidden', 'Type the current password, or sign in again first', { reason: 'current_password_required' });
    }
    await this.passwords.set(req.userId, req.newPassword);
  }
}
