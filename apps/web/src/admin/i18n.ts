import { currentLanguage, type Language } from '../i18n';
import en, { type AdminKey, type AdminMessages } from './i18n/en';

// The console's words travel with the console bundle, never with the end-user client's.
const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: AdminMessages }>> = {
  cs: () => import('./i18n/cs'),
  de: () => import('./i18n/de'),
  es: () => import('./i18n/es'),
  fr: () => import('./i18n/fr'),
  it: () => import('./i18n/it'),
  nl: () => import('./i18n/nl'),
  pl: () => import('./i18n/pl'),
  pt: () => import('./i18n/pt'),
  ru: () => import('./i18n/ru'),
  sl: () => import('./i18n/sl'),
};

let messages: AdminMessages = en;

/** Loads the console's words for the client's current language. */
export async function loadAdminLanguage(): Promise<void> {
  const language = currentLanguage();
  messages = language === 'en' ? en : (await loaders[language]()).default;
}

export function at(key: AdminKey, params: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
