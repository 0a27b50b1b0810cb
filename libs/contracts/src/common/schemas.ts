import { z } from 'zod';

export const Uuid = z.uuid();
/** PBX domain names: lowercase host names. */
export const Domain = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be a lowercase domain name');
/** The 11 languages of the myApps client (seed 000). */
export const Languages = ['cs', 'de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'ru', 'sl'] as const;
export const Language = z.enum(Languages);
export type Language = z.infer<typeof Language>;
export const IsoDate = z.iso.datetime({ offset: true });
