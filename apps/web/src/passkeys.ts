import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { Api } from './api';
import { thisDevice } from './device';
import type { ActiveLogin, PendingLogin } from './types';

interface Ceremony<T> {
  flowId: string;
  options: T;
}
export type PasskeyLoginReply = ActiveLogin | (PendingLogin & { status: 'pending' });

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();
export const autofillSupported = (): Promise<boolean> => browserSupportsWebAuthnAutofill();

/**
 * Sign-in with a passkey: the server's options (a single-use challenge), the authenticator's
 * answer, the session. `autofill`: conditional UI, the passkeys offered in the username field's
 * suggestions; it waits until the user picks one (a later ceremony aborts it).
 */
export async function signInWithPasskey(api: Api, keep: boolean, autofill = false): Promise<PasskeyLoginReply> {
  const { flowId, options } = await api.request<Ceremony<PublicKeyCredentialRequestOptionsJSON>>('POST', '/auth/passkey/options', {
    auth: false,
  });
  const response = await startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill });
  return api.request<PasskeyLoginReply>('POST', '/auth/passkey/login', {
    auth: false,
    body: { flowId, response, device: thisDevice(), application: keep ? 'longLogin' : 'refreshable' },
  });
}

export async function addPasskey(api: Api, name: string): Promise<void> {
  const { flowId, options } = await api.request<Ceremony<PublicKeyCredentialCreationOptionsJSON>>('POST', '/me/passkeys/options');
  const response = await startRegistration({ optionsJSON: options });
  await api.request('POST', '/me/passkeys', { body: { flowId, name, response } });
}

/** Accepting a new device with a passkey and user verification (the approvalRequiresPasskey policy). */
export async function approveWithPasskey(api: Api, pendingId: string, code?: string): Promise<void> {
  const { flowId, options } = await api.request<Ceremony<PublicKeyCredentialRequestOptionsJSON>>('POST', '/me/approvals/passkey/options');
  const response = await startAuthentication({ optionsJSON: options });
  await api.request('POST', `/me/approvals/${pendingId}/passkey`, { body: { flowId, response, ...(code ? { code } : {}) } });
}
