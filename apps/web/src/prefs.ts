import type { Language } from './i18n';

export type Theme = 'light' | 'dark';

/**
 * The client's own settings on this browser, under the key seed 000 names (`appclient-config`):
 * color scheme and language. Nothing here is a secret.
 */
interface ClientConfig {
  theme?: Theme;
  language?: Language;
}

const CONFIG_KEY = 'appclient-config';

export function readConfig(): ClientConfig {
  try {
    const value = JSON.parse(localStorage.getItem(CONFIG_KEY) ?? '{}') as unknown;
    return value && typeof value === 'object' ? (value as ClientConfig) : {};
  } catch {
    return {};
  }
}

export function writeConfig(patch: ClientConfig): void {
  localStorage.setItem(CONFIG_KEY, JSON.stringify({ ...readConfig(), ...patch }));
}

/** This browser's choice, else the system's. */
export const preferredTheme = (): Theme => readConfig().theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

/** The scheme on screen now (a domain default may stand in while this browser has no choice). */
export const currentTheme = (): Theme => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.querySelector('meta[name="color-scheme"]')?.setAttribute('content', theme);
}
