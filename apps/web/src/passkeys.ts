import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { ApiError, type Api, type Reply } from './api';
import { thisDevice } from './device';

export type PasskeyLoginReply = Reply<'POST /auth/passkey/login'>;

/** The contracts carry WebAuthn options as a JSON object (made by @simplewebauthn/server): the fields the browser needs are checked. */
function requestOptions(options: Record<string, unknown>): PublicKeyCredentialRequestOptionsJSON {
  const { challenge } = options;
  if (typeof challenge !== 'string') throw new ApiError('internal_error', 'no WebAuthn challenge', 502);
  return { ...options, challenge };
}

function creationOptions(options: Record<string, unknown>): PublicKeyCredentialCreationOptionsJSON {
  const { challenge, rp, user, pubKeyCredParams } = options;
  if (typeof challenge !== 'string' || !isObject(rp) || !isObject(user) || !Array.isArray(pubKeyCredParams))
    throw new ApiError('internal_error', 'malformed WebAuthn options', 502);
  return {
    ...options,
    challenge,
    rp: { ...rp, name: String(rp.name) },
    user: { ...user, id: String(user.id), name: String(user.name), displayName: String(user.displayName) },
    pubKeyCredParams: pubKeyCredParams.filter(isObject).map((p) => ({ type: 'public-key', alg: Number(p.alg) })),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The authenticator's answer as the contracts take it: its extension results as a plain JSON object. */
const authenticationJson = (response: AuthenticationResponseJSON) => ({
  ...response,
  clientExtensionResults: { ...response.clientExtensionResults },
});
const registrationJson = (response: RegistrationResponseJSON) => ({
  ...response,
  clientExtensionResults: { ...response.clientExtensionResults },
});

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();
export const autofillSupported = (): Promise<boolean> => browserSupportsWebAuthnAutofill();

/**
 * Sign-in with a passkey: the server's options (a single-use challenge), the authenticator's
 * answer, the session. `autofill`: conditional UI, the passkeys offered in the username field's
 * suggestions; it waits until the user picks one (a later ceremony aborts it).
 */
export async function signInWithPasskey(api: Api, keep: boolean, autofill = false): Promise<PasskeyLoginReply> {
  const { flowId, options } = await api.call('POST /auth/passkey/options', { auth: false });
  const response = await startAuthentication({ optionsJSON: requestOptions(options), useBrowserAutofill: autofill });
  return api.call('POST /auth/passkey/login', {
    auth: false,
    body: { flowId, response: authenticationJson(response), device: thisDevice(), application: keep ? 'longLogin' : 'refreshable' },
  });
}

export async function addPasskey(api: Api, name: string): Promise<void> {
  const { flowId, options } = await api.call('POST /me/passkeys/options');
  const response = await startRegistration({ optionsJSON: creationOptions(options) });
  await api.call('POST /me/passkeys', { body: { flowId, name, response: registrationJson(response) } });
}

/** Accepting a new device with a passkey and user verification (the approvalRequiresPasskey policy). */
export async function approveWithPasskey(api: Api, pendingId: string, code?: string): Promise<void> {
  const { flowId, options } = await api.call('POST /me/approvals/passkey/options');
  const response = await startAuthentication({ optionsJSON: requestOptions(options) });
  await api.call('POST /me/approvals/:pendingId/passkey', {
    params: { pendingId },
    body: { flowId, response: authenticationJson(response), ...(code ? { code } : {}) },
  });
}
