import { h } from '../dom';
import { icon } from '../icons';
import { t } from '../i18n';
import type { UserAppView } from '../types';
import { appIcon } from './home';

export interface AppsState {
  apps: UserAppView[] | undefined;
  pinned: (appId: string) => boolean;
  error?: string;
}

/** "All apps": every app the user may run; open one, or put it on the home screen with the home symbol. */
export function appsView(state: AppsState, actions: { togglePin(appId: string): void }): HTMLElement {
  const { apps } = state;
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'view-title' }, t('navApps'))),
    state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
    !apps ? h('p', { role: 'status' }, t('loading')) : null,
    apps && apps.length === 0 ? h('p', { class: 'empty' }, t('appsEmpty')) : null,
    apps && apps.length > 0
      ? h(
          'ul',
          { class: 'app-list' },
          apps.map((app) => {
            const pinned = state.pinned(app.id);
            const pinLabel = t(pinned ? 'unpin' : 'pin', { name: app.name });
            return h(
              'li',
              { class: 'app-row', 'data-testid': 'app-row', 'data-app': app.id },
              h(
                'a',
                {
                  href: `#/app/${encodeURIComponent(app.id)}`,
                  'data-key': `app-open-${app.id}`,
                  'aria-label': t('open', { name: app.name }),
                },
                appIcon(app),
                h('span', {}, app.name),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'icon pin',
                  'data-key': `app-pin-${app.id}`,
                  'aria-pressed': String(pinned),
                  'aria-label': pinLabel,
                  title: pinLabel,
                  onclick: () => actions.togglePin(app.id),
                },
                icon('home'),
              ),
            );
          }),
        )
      : null,
  );
}
