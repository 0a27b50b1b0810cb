import { h } from '../dom';
import { icon } from '../icons';
import { t } from '../i18n';
import type { UserAppView } from '../types';

/** The URL of the app's page for an item: the app's `htmlUrl` with the item's query and fragment. */
export function appPageUrl(app: UserAppView, query?: string, fragment?: string): string {
  return app.htmlUrl + (query !== undefined ? `?${query}` : '') + (fragment !== undefined ? `#${fragment}` : '');
}

/** The bar above a running app: back, the app's name, and close (ends the app). Re-rendered alone so the app never reloads. */
export function appBar(app: UserAppView | undefined, close?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'view-head app-bar' },
    h('a', { class: 'button', href: '#/home', 'data-key': 'app-back' }, icon('back'), t('back')),
    h('h1', { id: 'view-title' }, app?.name ?? ''),
    app && close
      ? h('button', { type: 'button', class: 'close-app', 'data-key': 'app-close', onclick: close }, icon('close'), t('closeApp'))
      : null,
  );
}

/**
 * An app runs in an iframe (seed 000, "App runtime"), sandboxed (appSandbox). The frame itself
 * lives in the AppHost's deck below this bar, so it stays loaded while the user is elsewhere.
 */
export function appFrameView(app: UserAppView | undefined, src: string | undefined, appsLoaded: boolean, close?: () => void): HTMLElement {
  return h(
    'section',
    { class: 'view app-view app-view-bar', 'aria-labelledby': 'view-title' },
    appBar(app, close),
    app && src ? null : h('p', { role: appsLoaded ? 'alert' : 'status' }, appsLoaded ? t('appMissing') : t('loading')),
  );
}
