import { h } from '../dom';
import { t } from '../i18n';
import type { UserAppView } from '../types';
import { appIcon } from './home';

/**
 * Several apps provide an API and none is this device's standard: the user picks one, and may
 * make it the standard ("always use this app"). Escape or Cancel answers undefined.
 */
export function chooseProvider(api: string, providers: UserAppView[]): Promise<{ app: UserAppView; always: boolean } | undefined> {
  return new Promise((resolve) => {
    const always = h('input', { type: 'checkbox', id: 'chooser-always', 'data-key': 'chooser-always' });
    const dialog = h('dialog', { class: 'chooser', 'aria-labelledby': 'chooser-title', 'data-testid': 'provider-chooser' });
    let done = false;
    const finish = (app: UserAppView | undefined) => {
      if (done) return;
      done = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(app ? { app, always: always.checked } : undefined);
    };
    dialog.addEventListener('close', () => finish(undefined));
    dialog.append(
      h('h2', { id: 'chooser-title' }, t('chooseApp', { api })),
      h(
        'ul',
        {},
        providers.map((app) =>
          h(
            'li',
            {},
            h('button', { type: 'button', 'data-app': app.id, onclick: () => finish(app) }, appIcon(app), h('span', {}, app.name)),
          ),
        ),
      ),
      h('p', {}, always, ' ', h('label', { for: 'chooser-always' }, t('alwaysUseApp'))),
      h('button', { type: 'button', onclick: () => finish(undefined) }, t('cancel')),
    );
    document.body.append(dialog);
    dialog.showModal();
  });
}
