import { Injectable } from '@nestjs/common';
import { AuthSettings, AuthSettingsSetReq } from '@gatehouse/contracts';
import { AuthSettingsRepository } from './auth-settings.repository';

/**
 * The authentication policy. Read from PostgreSQL on every use (no cache), so a change made
 * through one replica holds on every replica at once.
 */
@Injectable()
export class AuthSettingsService {
  constructor(private readonly repository: AuthSettingsRepository) {}

  get(): Promise<AuthSettings> {
    return this.repository.find();
  }

  async set(change: AuthSettingsSetReq): Promise<AuthSettings> {
    const current = await this.repository.find();
    return this.repository.save({
      ...current,
      ...change,
      federatedTwoFactor: { ...current.federatedTwoFactor, ...change.federatedTwoFactor },
    });
  }
}
