import type { Language } from '../schemas/settings';

/** The languages the console speaks. */
export type Locale = Exclude<Language, 'system'>;
export const locales: readonly Locale[] = ['en', 'nl'];

/**
 * The language the console shows: the operator's choice, else the first of `preferred` (language
 * tags, most wanted first: the browser's, or the desktop app's locale) it speaks, else English.
 */
export function pickLocale(choice: Language, preferred: readonly string[]): Locale {
  if (choice !== 'system') return choice;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] as Locale;
    if (locales.includes(base)) return base;
  }
  return 'en';
}
