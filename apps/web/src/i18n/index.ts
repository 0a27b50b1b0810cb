import en, { type MessageKey, type Messages } from './en';

/** The 11 languages of seed 000, each named in itself. */
export const LANGUAGES = {
  cs: 'Čeština',
  de: 'Deutsch',
  en: 'English',
  es: 'Español',
  fr: 'Français',
  it: 'Italiano',
  nl: 'Nederlands',
  pl: 'Polski',
  pt: 'Português',
  ru: 'Русский язык',
  sl: 'Slovenščina',
} as const;
export type Language = keyof typeof LANGUAGES;

// English is in the bundle; every other language is its own small file, loaded when chosen.
const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Messages }>> = {
  cs: () => import('./cs'),
  de: () => import('./de'),
  es: () => import('./es'),
  fr: () => import('./fr'),
  it: () => import('./it'),
  nl: () => import('./nl'),
  pl: () => import('./pl'),
  pt: () => import('./pt'),
  ru: () => import('./ru'),
  sl: () => import('./sl'),
};

let messages: Messages = en;
let language: Language = 'en';

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && Object.hasOwn(LANGUAGES, value);

/** The browser's preferred language when it is one of ours, English otherwise. */
export function browserLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export async function setLanguage(next: Language): Promise<void> {
  messages = next === 'en' ? en : (await loaders[next]()).default;
  language = next;
  document.documentElement.lang = next;
}

export const currentLanguage = (): Language => language;

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Dates as the chosen language writes them. */
export const formatTime = (iso: string): string =>
  new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
