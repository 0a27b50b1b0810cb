import { Inject, Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { AuthenticationResponseJson, RegistrationResponseJson, User } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { Passkey, PasskeysRepository } from './passkeys.repository';

export type Purpose = 'register' | 'login' | 'approve';

export interface VerifiedAssertion {
  /** The signature counter the authenticator sent (0: it keeps none). */
  counter: number;
  userVerified: boolean;
}

const invalid = (why: string) => new AppError('passkey_invalid', 'The passkey could not be verified', { reason: why });

/**
 * The WebAuthn ceremonies (@simplewebauthn/server) bound to this installation's relying party:
 * the RP ID and the web client's origins from config.ts, challenges kept in PostgreSQL, single use.
 */
@Injectable()
export class WebauthnCeremonies {
  constructor(
    private readonly repository: PasskeysRepository,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  private get timeoutMs() {
    return this.config.WEBAUTHN_CHALLENGE_TTL_MS;
  }

  /** Discoverable credential (autofill can offer it) bound to the user; user verification preferred, required at sign-in by policy. */
  async registrationOptions(user: User, existing: Passkey[]) {
    const options = await generateRegistrationOptions({
      rpName: this.config.WEBAUTHN_RP_NAME,
      rpID: this.config.WEBAUTHN_RP_ID,
      userName: `${user.username}@${user.domain}`,
      userID: new TextEncoder().encode(user.id),
      userDisplayName: user.displayName || user.username,
      attestationType: 'none',
      timeout: this.timeoutMs,
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    return { flowId: await this.remember('register', user.id, options.challenge), options: options as unknown as Record<string, unknown> };
  }

  /** No allowCredentials: the authenticator offers the user's discoverable passkeys (also in autofill). */
  async authenticationOptions(purpose: 'login' | 'approve', userId: string | null, allow: Passkey[] = []) {
    const options = await generateAuthenticationOptions({
      rpID: this.config.WEBAUTHN_RP_ID,
      timeout: this.timeoutMs,
      userVerification: purpose === 'approve' ? 'required' : 'preferred',
      allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports })),
    });
    return { flowId: await this.remember(purpose, userId, options.challenge), options: options as unknown as Record<string, unknown> };
  }

  async verifyRegistration(flowId: string, userId: string, response: RegistrationResponseJson) {
    const challenge = await this.take(flowId, 'register', userId);
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: this.config.WEBAUTHN_ORIGINS,
      expectedRPID: this.config.WEBAUTHN_RP_ID,
      requireUserVerification: false,
    }).catch((error: unknown) => {
      throw invalid(error instanceof Error ? error.message : 'registration refused');
    });
    if (!result.verified) throw invalid('registration not verified');
    return result.registrationInfo;
  }

  /**
   * Checks origin, RP ID, challenge, signature and (when asked) user verification. The counter is
   * compared by the caller after the signature holds, so a forged answer can never flag a clone.
   */
  async verifyAssertion(
    flowId: string,
    purpose: 'login' | 'approve',
    userId: string | null,
    response: AuthenticationResponseJson,
    passkey: Passkey,
    requireUserVerification: boolean,
  ): Promise<VerifiedAssertion> {
    const challenge = await this.take(flowId, purpose, userId);
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: this.config.WEBAUTHN_ORIGINS,
      expectedRPID: this.config.WEBAUTHN_RP_ID,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: 0, transports: passkey.transports },
      requireUserVerification,
    }).catch((error: unknown) => {
      throw invalid(error instanceof Error ? error.message : 'assertion refused');
    });
    if (!result.verified) throw invalid('signature not verified');
    return { counter: result.authenticationInfo.newCounter, userVerified: result.authenticationInfo.userVerified };
  }

  /** Takes the challenge (single use) and checks it was made for this ceremony and user, and is not stale. */
  async take(flowId: string, purpose: Purpose, userId: string | null): Promise<string> {
    const row = await this.repository.takeChallenge(flowId);
    if (!row || row.purpose !== purpose || (userId !== null && row.userId !== userId)) throw invalid('unknown or used challenge');
    if (row.expiresAt.getTime() <= this.clock.nowMs()) throw invalid('challenge expired');
    return row.challenge;
  }

  private remember(purpose: Purpose, userId: string | null, challenge: string): Promise<string> {
    return this.repository.addChallenge({ purpose, userId, challenge, expiresAt: new Date(this.clock.nowMs() + this.timeoutMs) });
  }
}
