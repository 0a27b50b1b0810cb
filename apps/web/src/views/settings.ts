import { h } from '../dom';
import { LANGUAGES, currentLanguage, isLanguage, t, type Language } from '../i18n';
import { currentTheme, type Theme } from '../prefs';

export interface SettingsActions {
  setTheme(theme: Theme): void;
  setLanguage(language: Language): void;
}

/** Color scheme and language: on the login screens and in the signed-in menu. */
export function settingsControls(actions: SettingsActions): HTMLElement {
  const theme = h(
    'select',
    {
      id: 'setting-theme',
      'data-key': 'setting-theme',
      onchange: (e: Event) => actions.setTheme((e.target as HTMLSelectElement).value as Theme),
    },
    h('option', { value: 'light', selected: currentTheme() === 'light' }, t('themeLight')),
    h('option', { value: 'dark', selected: currentTheme() === 'dark' }, t('themeDark')),
  );
  const language = h(
    'select',
    {
      id: 'setting-language',
      'data-key': 'setting-language',
      onchange: (e: Event) => {
        const value = (e.target as HTMLSelectElement).value;
        if (isLanguage(value)) actions.setLanguage(value);
      },
    },
    Object.entries(LANGUAGES).map(([code, name]) => h('option', { value: code, lang: code, selected: code === currentLanguage() }, name)),
  );
  return h(
    'div',
    { class: 'settings' },
    h('label', { for: 'setting-theme' }, t('colorScheme')),
    theme,
    h('label', { for: 'setting-language' }, t('language')),
    language,
  );
}
