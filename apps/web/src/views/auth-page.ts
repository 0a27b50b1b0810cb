import { h, type Child } from '../dom';
import { settingsControls, type SettingsActions } from './settings';

/** The frame of every screen before sign-in: one card, and color scheme and language below it. */
export function authPage(title: string, settings: SettingsActions, ...body: Child[]): HTMLElement {
  return h(
    'main',
    { class: 'auth', id: 'main' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'auth-title' },
      h('p', { class: 'brand' }, 'Gatehouse'),
      h('h1', { id: 'auth-title' }, title),
      body,
    ),
    h('footer', { class: 'auth-footer' }, settingsControls(settings)),
  );
}
