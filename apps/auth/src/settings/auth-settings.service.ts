import { Injectable } from '@nestjs/common';
import { Actor, AuthSettings, AuthSettingsSetReq } from '@gatehouse/contracts';
import { AuthSettingsRepository } from './auth-settings.repository';
import { TwoFactorGuard } from './two-factor-guard';

/**
 * The authentication policy. Read from PostgreSQL on every use (no cache), so a change made
 * through one replica holds on every replica at once.
 */
@Injectable()
export class AuthSettingsService {
  constructor(
    private readonly repository: AuthSettingsRepository,
    private readonly guard: TwoFactorGuard,
  ) {}

  get(): Promise<AuthSettings> {
    return this.repository.find();
  }

  /** `actor`: who asks (the guard does not count the session they ask from); `force` passes the two-factor guard. */
  async set({ force, ...change }: AuthSettingsSetReq, actor?: Actor): Promise<AuthSettings> {
    const current = await this.repository.find();
    const next = { ...current, ...change, federatedTwoFactor: { ...current.federatedTwoFactor, ...change.federatedTwoFactor } };
    await this.guard.check(current, next, actor, force === true);
    return this.repository.save(next);
  }
}
