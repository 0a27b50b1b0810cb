import { Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { CredentialsRepository } from './credentials.repository';
import { HashingPool } from './hashing-pool';
import { checkPassword } from './password-policy';

@Injectable()
export class PasswordsService {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly hashing: HashingPool,
    private readonly nats: NatsClient,
  ) {}

  /** Sets a user's password after the policy; external users have none (seed 002). */
  async set(userId: string, password: string): Promise<void> {
    const { user } = await this.nats.send('directory.user.get', { userId });
    if (!user) throw new AppError('not_found', 'No such user');
    if (user.external) throw new AppError('unprocessable', 'External users have no password');
    // Two-factor settings arrive with issue 5; until then the stricter rule (15) holds.
    checkPassword(password, { twoFactor: false });
    await this.credentials.set(userId, await this.hashing.hash(password));
  }
}
