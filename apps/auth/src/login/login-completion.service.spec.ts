import { DEFAULT_AUTH_SETTINGS } from '@gatehouse/contracts';
import type { ApprovalRequestsService } from '../approvals/approval-requests.service';
import type { SessionStarter } from '../sessions-client/session-starter';
import { aUser } from '../testing/fakes';
import { LoginCompletion, needsApproval } from './login-completion.service';

const twoFactor = { ...DEFAULT_AUTH_SETTINGS, twoFactor: true, federatedTwoFactor: { netlogon: true, oauth2: false } };
const request = { device: { name: 'Firefox', platform: 'Linux' }, application: 'refreshable' as const, ip: '198.51.100.7' };

describe('LoginCompletion', () => {
  it('asks for approval with two-factor on, for federated logins only as their setting says', () => {
    const user = aUser();
    expect(needsApproval(user, 'password', DEFAULT_AUTH_SETTINGS)).toBe(false);
    expect(needsApproval(user, 'password', twoFactor)).toBe(true);
    expect(needsApproval(user, 'passkey', twoFactor)).toBe(true);
    expect(needsApproval(user, 'netlogon', twoFactor)).toBe(true);
    expect(needsApproval(user, 'oauth2', twoFactor)).toBe(false);
    expect(needsApproval(aUser({ external: true }), 'password', twoFactor)).toBe(false);
  });

  it('starts the session at once when no approval is needed or the policy lets a user without approvers in', async () => {
    const user = aUser();
    const pending = { status: 'pending' };
    const approvals = { request: jest.fn(async () => null) };
    const sessions = { start: jest.fn(async () => ({ status: 'active' })) };
    const sut = new LoginCompletion(approvals as unknown as ApprovalRequestsService, sessions as unknown as SessionStarter);
    await expect(sut.complete(user, request, 'password', twoFactor)).resolves.toEqual({ status: 'active' });
    approvals.request.mockResolvedValueOnce(pending as never);
    await expect(sut.complete(user, request, 'password', twoFactor)).resolves.toBe(pending);
    await sut.complete(user, request, 'oauth2', twoFactor);
    expect(approvals.request).toHaveBeenCalledTimes(2);
    expect(sessions.start).toHaveBeenCalledTimes(2);
  });
});
