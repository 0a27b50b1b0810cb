import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { ManualClock } from '@gatehouse/platform';
import type { ApiKeysService } from '../api-keys/api-keys.service';
import type { AuthConfig } from '../config';
import type { PasswordsService } from '../passwords/passwords.service';
import { FakeAudit, FakeNats, FakeSettings, aUser, fakeLogger } from '../testing/fakes';
import { PasswordResetService } from './password-reset.service';
import type { PasswordResetsRepository } from './password-resets.repository';
import type { ResetAddressLimiter } from './reset-address-limiter';

// Only named as a collaborator (replaced below); its module would load OPAQUE's WebAssembly and the strength dictionaries.
jest.mock('../passwords/passwords.service', () => ({ PasswordsService: class PasswordsService {} }));

const IP = '198.51.100.7';
const TOKEN = 'a-reset-token-0123456789';
const config = {
  GATEHOUSE_DOMAIN: 'example.com',
  PASSWORD_RESET_WINDOW_MS: 3_600_000,
  PASSWORD_RESET_ACCOUNT_LIMIT: 3,
} as AuthConfig;

function setup(options: { addressCount?: number } = {}) {
  const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
  const user = aUser({ username: 'alice' });
  const known = new Map([['alice', user]]);
  const nats = new FakeNats()
    .on('directory.user.find-by-login', ({ login }) => ({ user: known.get(login) ?? null }))
    .on('directory.user.get', ({ userId }) => ({ user: [...known.values()].find((u) => u.id === userId) ?? null }))
    .on('mailer.mail.send', () => ({ queued: true }))
    .on('sessions.session.revoke-all-of-user', () => ({ revoked: 2 }));
  const links = new Map<string, string>([[sha256(TOKEN), user.id]]);
  const resets = {
    issue: jest.fn(async (link: { tokenHash: string; userId: string }) => Boolean(links.set(link.tokenHash, link.userId))),
    redeem: jest.fn(async (tokenHash: string) => {
      const userId = links.get(tokenHash) ?? null;
      links.delete(tokenHash);
      return userId;
    }),
    release: jest.fn(async () => undefined),
    isRedeemable: jest.fn(async (tokenHash: string) => links.has(tokenHash)),
  };
  const passwords = { set: jest.fn(async () => undefined) };
  const apiKeys = { revokeAllOf: jest.fn(async () => 1) };
  const limiter = { count: jest.fn(async () => options.addressCount ?? 1), limit: 20 };
  const settings = new FakeSettings();
  const audit = new FakeAudit();
  const sut = new PasswordResetService(
    resets as unknown as PasswordResetsRepository,
    passwords as unknown as PasswordsService,
    apiKeys as unknown as ApiKeysService,
    limiter as unknown as ResetAddressLimiter,
    settings.service,
    audit.service,
    nats.client,
    clock,
    config,
    fakeLogger(),
  );
  return { sut, nats, resets, passwords, apiKeys, settings, audit, user, known };
}

/** The link is mailed after the answer has left. */
const mailWork = () => new Promise((resolve) => setImmediate(resolve));

describe('PasswordResetService', () => {
  it('mails a link to a known user, and answers an unknown login the same without mail', async () => {
    const { sut, nats, user } = setup();
    await expect(sut.request('alice', IP)).resolves.toEqual({ accepted: true });
    await expect(sut.request('mallory', IP)).resolves.toEqual({ accepted: true });
    await mailWork();
    const mails = nats.sentTo('mailer.mail.send');
    expect(mails).toEqual([expect.objectContaining({ kind: 'passwordReset', to: user.email, language: 'en' })]);
    expect(mails[0].data).toMatchObject({ expiresMinutes: 60 });
  });

  it('mails no link to an external user or one without an address', async () => {
    const { sut, nats, known } = setup();
    known.set('guest', aUser({ username: 'guest', external: true }));
    known.set('noaddress', aUser({ username: 'noaddress', email: null }));
    await sut.request('guest', IP);
    await sut.request('noaddress', IP);
    await mailWork();
    expect(nats.sentTo('mailer.mail.send')).toEqual([]);
  });

  it('is refused while turned off and under the identity-provider-only type', async () => {
    const off = setup();
    off.settings.current = { ...off.settings.current, passwordReset: false };
    await expect(off.sut.request('alice', IP)).rejects.toMatchObject({ code: 'password_reset_disabled' });
    const oauth2 = setup();
    oauth2.settings.current = { ...oauth2.settings.current, type: 'oauth2' };
    await expect(oauth2.sut.request('alice', IP)).rejects.toMatchObject({ code: 'password_reset_disabled' });
  });

  it('past the address limit looks nobody up and audits the first dropped request only', async () => {
    const first = setup({ addressCount: 21 });
    await expect(first.sut.request('alice', IP)).resolves.toEqual({ accepted: true });
    expect(first.nats.sentTo('directory.user.find-by-login')).toEqual([]);
    expect(first.audit.outcomes('password_reset')).toEqual(['throttled']);
    const later = setup({ addressCount: 22 });
    await later.sut.request('alice', IP);
    expect(later.audit.events).toEqual([]);
  });

  it('sets the new password once per link, tells the user, and ends nothing unless asked', async () => {
    const { sut, passwords, nats, apiKeys, user } = setup();
    await expect(sut.complete(TOKEN, 'a new password', false, IP)).resolves.toEqual({ changed: true, sessionsEnded: 0, apiKeysRevoked: 0 });
    expect(passwords.set).toHaveBeenCalledWith(user.id, 'a new password');
    expect(nats.sentTo('sessions.session.revoke-all-of-user')).toEqual([]);
    expect(apiKeys.revokeAllOf).not.toHaveBeenCalled();
    expect(nats.sentTo('mailer.mail.send')).toEqual([expect.objectContaining({ kind: 'passwordChanged', to: user.email })]);
    await expect(sut.complete(TOKEN, 'a new password', false, IP)).rejects.toMatchObject({ code: 'reset_link_invalid' });
  });

  it('ends every session and API key of the user when asked', async () => {
    const { sut, nats, user } = setup();
    await expect(sut.complete(TOKEN, 'a new password', true, IP)).resolves.toEqual({ changed: true, sessionsEnded: 2, apiKeysRevoked: 1 });
    expect(nats.sentTo('sessions.session.revoke-all-of-user')).toEqual([{ userId: user.id }]);
  });

  it('keeps the link usable when the new password is refused', async () => {
    const { sut, passwords, resets } = setup();
    passwords.set.mockRejectedValueOnce(new AppError('weak_password', 'Too short'));
    await expect(sut.complete(TOKEN, 'short', false, IP)).rejects.toMatchObject({ code: 'weak_password' });
    expect(resets.release).toHaveBeenCalledWith(sha256(TOKEN));
  });
});
