import { h } from '../dom';
import { t } from '../i18n';
import type { UserAppView } from '../types';

/**
 * "Standard apps" in the menu: per client API with several providers, the app used without asking
 * on this device, or "ask every time" (seed 000, "Client APIs and default apps").
 */
export function standardAppsControls(
  providers: ReadonlyMap<string, UserAppView[]>,
  chosen: Record<string, string>,
  set: (api: string, appId: string | undefined) => void,
): HTMLElement | null {
  const apis = [...providers.entries()].filter(([, apps]) => apps.length > 1).sort(([a], [b]) => a.localeCompare(b));
  if (apis.length === 0) return null;
  return h(
    'fieldset',
    { class: 'standard-apps', 'data-testid': 'standard-apps' },
    h('legend', {}, t('standardApps')),
    apis.map(([api, apps]) => {
      const id = `standard-app-${api}`;
      return h(
        'div',
        { class: 'settings' },
        h('label', { for: id }, api),
        h(
          'select',
          { id, 'data-key': id, onchange: (e: Event) => set(api, (e.target as HTMLSelectElement).value || undefined) },
          h('option', { value: '', selected: !chosen[api] }, t('standardAppNone')),
          apps.map((app) => h('option', { value: app.id, selected: chosen[api] === app.id }, app.name)),
        ),
      );
    }),
  );
}
