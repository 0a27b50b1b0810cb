import { Injectable } from '@nestjs/common';
import { AuthSettings, LoginMethod, LoginRes, User } from '@gatehouse/contracts';
import { ApprovalRequestsService } from '../approvals/approval-requests.service';
import { LoginRequest, SessionStarter } from '../sessions-client/session-starter';

/**
 * Every login path ends here once the secret is proven: with two-factor on (and, for a federated
 * login, the matching setting) the device waits for approval; otherwise its session starts.
 */
@Injectable()
export class LoginCompletion {
  constructor(
    private readonly approvals: ApprovalRequestsService,
    private readonly sessions: SessionStarter,
  ) {}

  async complete(user: User, req: LoginRequest, method: LoginMethod, settings: AuthSettings): Promise<LoginRes> {
    if (needsApproval(user, method, settings)) {
      const pending = await this.approvals.request(user, req, method, settings);
      if (pending) return pending;
    }
    return this.sessions.start(user, req, settings);
  }
}

/** External users are single-use by design (seed 002) and have no device to approve from. */
export function needsApproval(user: Pick<User, 'external'>, method: LoginMethod, settings: AuthSettings): boolean {
  if (!settings.twoFactor || user.external) return false;
  if (method === 'netlogon') return settings.federatedTwoFactor.netlogon;
  if (method === 'oauth2') return settings.federatedTwoFactor.oauth2;
  return true;
}
