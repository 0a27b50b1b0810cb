import { Inject, Injectable } from '@nestjs/common';
import { Actor, AuthSettings } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { ApprovalPaths } from '../operator/approval-paths';

/**
 * With two-factor on, an administrator with no email and no session can never sign in again (only
 * the operator command brings them back). So a change that makes approval necessary is refused
 * unless some installation administrator keeps a way to approve: an email address with mail
 * configured, or a live session besides the one making the change (that one may be all they have,
 * and it expires). Administrators are held back; the installation itself (system callers) is not.
 */
@Injectable()
export class TwoFactorGuard {
  constructor(
    private readonly paths: ApprovalPaths,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  async check(current: AuthSettings, next: AuthSettings, actor: Actor | undefined, force: boolean): Promise<void> {
    if (force || actor?.kind !== 'admin' || !needsApproval(next) || needsApproval(current)) return;
    const admins = await this.paths.adminsOf(this.config.GATEHOUSE_DOMAIN);
    // The request came from one of the actor's sessions (or an API key): one of theirs does not count.
    const own = (userId: string) => (actor.userId === userId ? 1 : 0);
    if (admins.some((admin) => admin.byEmail || admin.sessions - own(admin.user.id) > 0)) return;
    throw new AppError(
      'two_factor_lockout',
      'Two-factor approval would lock the installation administrators out: none has an email address (with mail configured) or another signed-in session to approve a new login from. Give one an email address or sign in on a second device first, or send force: true.',
    );
  }
}

/** Whether an administrator with no way to approve would be shut out. */
const needsApproval = (settings: AuthSettings): boolean => settings.twoFactor && !settings.allowLoginWithoutApprovalPath;
