import { Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { Clock, NatsClient } from '@gatehouse/platform';
import { PasswordResetsRepository } from '../password-reset/password-resets.repository';
import { AuthSettingsService } from '../settings/auth-settings.service';
import { checkPassword } from './password-policy';
import { StrengthPool } from './strength-pool';
import { OpaqueService } from '../opaque/opaque.service';
import { DirectorySubjects } from '@gatehouse/contracts';

@Injectable()
export class PasswordsService {
  constructor(
    private readonly nats: NatsClient,
    private readonly settings: AuthSettingsService,
    private readonly resets: PasswordResetsRepository,
    private readonly clock: Clock,
    private readonly strength: StrengthPool,
    private readonly opaque: OpaqueService,
  ) {}

  /** Sets a user's password after the policy; external users have none (seed 002). */
  async set(userId: string, password: string): Promise<void> {
    const { user } = await this.nats.send(DirectorySubjects.userGet, { userId });
    if (!user) throw new AppError('not_found', 'No such user');
    if (user.external) throw new AppError('unprocessable', 'External users have no password');
    const settings = await this.settings.get();
    await checkPassword(
      password,
      {
        twoFactor: settings.twoFactor,
        adminMinimum: settings.minPasswordLength ?? 0,
        // A password built from the user's own name or address is among the first guesses against them.
        userInputs: [user.username, user.email ?? '', user.displayName, user.domain, ...user.domain.split('.')],
      },
      this.strength.estimate,
    );
    // Issue 22: the server keeps an OPAQUE record, registered here from the plain password, and no hash.
    await this.opaque.register(userId, password);
    // A reset link mailed before this password was set must not replace it (issue 15, finding 5).
    await this.resets.voidOutstanding(userId, this.clock.now());
  }
}
