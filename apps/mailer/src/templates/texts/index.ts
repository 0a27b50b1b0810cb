import type { Language } from '@gatehouse/contracts';
import { en, type MailTexts } from './en';
import { de } from './de';
import { cs } from './cs';
import { es } from './es';
import { fr } from './fr';
import { it } from './it';
import { nl } from './nl';
import { pl } from './pl';
import { pt } from './pt';
import { ru } from './ru';
import { sl } from './sl';

export type { MailTexts };

/** The mails' words, one file per language (as apps/web/src/i18n); a language left out fails to compile. */
export const TEXTS = { en, de, cs, es, fr, it, nl, pl, pt, ru, sl } satisfies Record<Language, MailTexts>;
