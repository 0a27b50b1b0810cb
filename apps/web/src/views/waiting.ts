import { h } from '../dom';
import { t } from '../i18n';
import type { PendingLogin } from '../types';
import { authPage } from './auth-page';
import type { SettingsActions } from './settings';

/** "Confirm this sign-in": the security code and the ways to approve; the controller moves on when decided. */
export function waitingScreen(pending: PendingLogin, actions: SettingsActions & { cancel(): void }): HTMLElement {
  const channels = pending.approvalChannels ?? ['session', 'email'];
  return authPage(
    t('waitTitle'),
    actions,
    h('p', { class: 'code-label', id: 'security-code-label' }, t('securityCode')),
    h('p', { class: 'security-code', 'data-testid': 'security-code', 'aria-labelledby': 'security-code-label' }, pending.securityCode),
    h('p', {}, t('waitCompare')),
    h('p', {}, t('waitWays')),
    h(
      'ul',
      { class: 'ways' },
      channels.includes('session') ? h('li', {}, t('waitViaSession')) : null,
      channels.includes('email') ? h('li', {}, t('waitViaEmail')) : null,
    ),
    h('p', { class: 'waiting', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('waiting')),
    h('button', { type: 'button', 'data-key': 'wait-cancel', onclick: () => actions.cancel() }, t('cancel')),
  );
}
