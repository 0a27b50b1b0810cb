import { ApiError } from '../api';
import { t } from '../i18n';

/** What to tell the user about a failed request, in their language. */
export function errorText(error: unknown): string {
  // The browser's WebAuthn refusals (cancelled, timed out, no passkey): the passkey did not sign in.
  if (!(error instanceof ApiError))
    return error instanceof Error && /^(NotAllowedError|WebAuthnError|AbortError|InvalidStateError)$/.test(error.name)
      ? t('passkeyFailed')
      : t('errorGeneric');
  switch (error.code) {
    case 'network':
      return t('errorNetwork');
    case 'invalid_credentials':
      return t('invalidCredentials');
    case 'rate_limited':
      return t('rateLimited', { seconds: error.retryAfterSeconds ?? 60 });
    case 'approval_unavailable':
      return t('approvalUnavailable');
    case 'invalid_security_code':
      return t('wrongCode');
    case 'approval_expired':
    case 'approval_not_found':
    case 'approval_already_decided':
      return t('approvalGone');
    case 'homescreen_too_large':
      return t('homeFull');
    case 'passkey_invalid':
      return t('passkeyFailed');
    case 'passkey_cloned':
      return t('passkeyCloned');
    case 'passkey_required':
      return t('passkeyRequired');
    default:
      return t('errorGeneric');
  }
}
