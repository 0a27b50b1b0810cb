import { h, type Child } from '../dom';
import { formatTime, t } from '../i18n';
import type { SessionView } from '../types';

/**
 * "Account security": every permanent session of the user; any of them can be logged out. The
 * account's own settings (account-settings.ts) add a control below the list and sections after it.
 */
export function securityView(
  state: { sessions: SessionView[] | undefined; error?: string },
  actions: { logOut(session: SessionView): void },
  passkeys?: HTMLElement,
  account?: { afterSessions: Child; sections: Child },
): HTMLElement {
  // This device first, then the most recently used.
  const sessions = state.sessions?.toSorted((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt));
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'view-title' }, t('navSecurity'))),
    h('p', {}, t('securityIntro')),
    state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
    !sessions ? h('p', { role: 'status' }, t('loading')) : null,
    h(
      'ul',
      { class: 'sessions' },
      (sessions ?? []).map((session) => {
        const device = `${session.device.name} (${session.device.platform})`;
        return h(
          'li',
          {
            class: session.current ? 'session current' : 'session',
            'data-testid': 'session',
            'data-session': session.id,
            'aria-current': session.current ? 'true' : undefined,
          },
          h(
            'div',
            { class: 'session-head' },
            h('strong', {}, device),
            session.current ? h('span', { class: 'badge' }, t('thisDevice')) : null,
          ),
          h(
            'dl',
            { class: 'facts' },
            h('dt', {}, t('lastUsed')),
            h('dd', {}, h('time', { datetime: session.lastUsedAt }, formatTime(session.lastUsedAt))),
            h('dt', {}, t('signedInAt')),
            h('dd', {}, h('time', { datetime: session.createdAt }, formatTime(session.createdAt))),
            session.ip ? [h('dt', {}, t('address')), h('dd', {}, session.ip)] : null,
            h('dt', {}, t('expires')),
            h('dd', {}, h('time', { datetime: session.expiresAt }, formatTime(session.expiresAt))),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'data-key': `session-logout-${session.id}`,
              'aria-label': t('logOutDevice', { device }),
              onclick: () => actions.logOut(session),
            },
            t('logOut'),
          ),
        );
      }),
    ),
    account?.afterSessions ?? null,
    passkeys ?? null,
    account?.sections ?? null,
  );
}
