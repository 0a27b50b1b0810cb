import { h } from '../dom';
import { icon } from '../icons';
import { t } from '../i18n';
import type { UserAppView } from '../types';
import { appSandbox } from './app-sandbox';

/** The URL of the app's page for an item: the app's `htmlUrl` with the item's query and fragment. */
export function appPageUrl(app: UserAppView, query?: string, fragment?: string): string {
  return app.htmlUrl + (query !== undefined ? `?${query}` : '') + (fragment !== undefined ? `#${fragment}` : '');
}

/** The bar above a running app: back, and the app's name. Re-rendered alone so the app never reloads. */
export function appBar(app: UserAppView | undefined): HTMLElement {
  return h(
    'div',
    { class: 'view-head app-bar' },
    h('a', { class: 'button', href: '#/home', 'data-key': 'app-back' }, icon('back'), t('back')),
    h('h1', { id: 'view-title' }, app?.name ?? ''),
  );
}

/** An app runs in an iframe (seed 000, "App runtime"), sandboxed (appSandbox). */
export function appFrameView(app: UserAppView | undefined, src: string | undefined, appsLoaded: boolean): HTMLElement {
  return h(
    'section',
    { class: 'view app-view', 'aria-labelledby': 'view-title' },
    appBar(app),
    app && src
      ? h('iframe', {
          class: 'app-frame',
          // Before src: the flags apply to the navigation that inserting the frame starts.
          sandbox: appSandbox(src, location.origin),
          src,
          title: app.name,
          referrerpolicy: 'no-referrer',
          'data-testid': 'app-frame',
        })
      : h('p', { role: appsLoaded ? 'alert' : 'status' }, appsLoaded ? t('appMissing') : t('loading')),
  );
}
