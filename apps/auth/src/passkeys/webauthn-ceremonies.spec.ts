import { AppError } from '@gatehouse/errors';
import { ManualClock } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import type { PasskeysRepository } from './passkeys.repository';
import { WebauthnCeremonies } from './webauthn-ceremonies';

/** An in-memory stand-in for the challenge table: the delete is the claim, as in PostgreSQL. */
function challengeStore() {
  const rows = new Map<string, { purpose: string; userId: string | null; challenge: string; expiresAt: Date }>();
  let next = 0;
  return {
    async addChallenge(row: { purpose: string; userId: string | null; challenge: string; expiresAt: Date }) {
      const id = `flow-${next++}`;
      rows.set(id, row);
      return id;
    },
    async takeChallenge(id: string) {
      const row = rows.get(id) ?? null;
      rows.delete(id);
      return row;
    },
  };
}

describe('WebAuthn challenges', () => {
  const config = {
    WEBAUTHN_RP_ID: 'localhost',
    WEBAUTHN_ORIGINS: ['http://localhost:3000'],
    WEBAUTHN_RP_NAME: 'Gatehouse',
    WEBAUTHN_CHALLENGE_TTL_MS: 60_000,
  } as AuthConfig;
  let clock: ManualClock;
  let sut: WebauthnCeremonies;

  beforeEach(() => {
    clock = new ManualClock(new Date('2026-12-06T10:00:00Z'));
    sut = new WebauthnCeremonies(challengeStore() as unknown as PasskeysRepository, clock, config);
  });

  const reason = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: AppError) => `${error.code}: ${String(error.details?.reason)}`,
    );

  it('gives out each challenge once', async () => {
    const { flowId, options } = await sut.authenticationOptions('login', null);
    await expect(sut.take(flowId, 'login', null)).resolves.toBe(options.challenge);
    await expect(reason(sut.take(flowId, 'login', null))).resolves.toBe('passkey_invalid: unknown or used challenge');
  });

  it('refuses a challenge answered after its lifetime', async () => {
    const { flowId } = await sut.authenticationOptions('login', null);
    clock.advance(60_000);
    await expect(reason(sut.take(flowId, 'login', null))).resolves.toBe('passkey_invalid: challenge expired');
  });

  it('refuses a challenge made for another ceremony or another user', async () => {
    const approval = await sut.authenticationOptions('approve', 'user-a');
    await expect(reason(sut.take(approval.flowId, 'login', null))).resolves.toBe('passkey_invalid: unknown or used challenge');
    const other = await sut.authenticationOptions('approve', 'user-a');
    await expect(reason(sut.take(other.flowId, 'approve', 'user-b'))).resolves.toBe('passkey_invalid: unknown or used challenge');
  });

  it('asks for user verification when approving a device, prefers it at sign-in', async () => {
    expect((await sut.authenticationOptions('approve', 'user-a')).options.userVerification).toBe('required');
    expect((await sut.authenticationOptions('login', null)).options.userVerification).toBe('preferred');
  });
});
