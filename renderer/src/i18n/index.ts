import { create } from 'zustand';
import { type Locale, locales, pickLocale } from '../../../shared/i18n/locale';
import { type Plural, speak, warmUp as warmLocale, wordIn } from '../../../shared/i18n/speak';
import type { Worded } from '../../../shared/i18n/worded';
import type { Language } from '../../../shared/schemas/settings';
import { en } from './en';
import { nl } from './nl';

/**
 * The console's one i18n layer: typed catalogues (a key missing from Dutch fails typecheck, a
 * placeholder that differs fails test/unit/i18n.test.ts), plurals by Intl.PluralRules, and numbers
 * inside messages formatted by locale. Hand-rolled rather than i18next: two languages, no
 * namespaces or loading, and keys and placeholders checked by the compiler.
 */
export type { Locale, Plural };
export type Key = keyof typeof en;
/** The keys under one prefix, e.g. KeyOf<'jobState.'>; such keys can be computed and still checked. */
export type KeyOf<P extends string> = Extract<Key, `${P}${string}`>;
export type Catalogue = { readonly [K in Key]: (typeof en)[K] extends string ? string : Plural };

const catalogues: Record<Locale, Catalogue> = { en, nl };

export { locales };

type Names<S> = S extends `${string}{${infer P}}${infer R}` ? P | Names<R> : never;
type EntryNames<E> = E extends string
  ? Names<E>
  : E extends { one: infer O; other: infer T }
    ? Names<O> | Names<T> | 'count'
    : never;
type Value = string | number;
export type Params<K extends Key> = [EntryNames<(typeof en)[K]>] extends [never]
  ? []
  : [Record<EntryNames<(typeof en)[K]>, Value>];

/** The language the console shows: the operator's choice, else the browser's (the system's), else English. */
export function resolveLanguage(choice: Language, preferred: readonly string[] = browserLanguages()): Locale {
  return pickLocale(choice, preferred);
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

export const useLocale = create<{ locale: Locale }>(() => ({ locale: resolveLanguage('system') }));
// Screen readers pick their voice by the page's language: right from the first paint, not once settings arrive.
if (typeof document !== 'undefined') document.documentElement.lang = useLocale.getState().locale;

export function setLanguage(choice: Language): void {
  const locale = resolveLanguage(choice);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  if (useLocale.getState().locale !== locale) useLocale.setState({ locale });
}

/**
 * ICU loads a locale's number and plural data on first use (some 15 ms): the console does that
 * while its first calls are in flight, not inside the map's first render.
 */
export function warmUp(): void {
  warmLocale(useLocale.getState().locale);
}

/** A message in the current language; numbers among the values get the locale's separators. */
export function t<K extends Key>(key: K, ...params: Params<K>): string {
  return translate(useLocale.getState().locale, key, params[0] as Record<string, Value> | undefined);
}

export function translate(locale: Locale, key: Key, values?: Record<string, Value>): string {
  return speak(locale, catalogues[locale][key] as string | Plural, values);
}

/**
 * Text the server wrote (shared/i18n/worded.ts) in the console's language: by its key when this
 * console knows the key, else the server's English words (a newer server's new text, an old row).
 */
export function tServer(text: string, words?: Worded): string {
  return (words && wordIn(useLocale.getState().locale, (l) => catalogues[l], words)) ?? text;
}

/** `t` for a component: it renders again when the language changes. */
export function useT(): typeof t {
  useLocale((s) => s.locale);
  return t;
}

/** The current locale, for a component that formats numbers or dates itself. */
export function locale(): Locale {
  return useLocale.getState().locale;
}

/** Splits a message around its placeholders so that values can be React elements (see Trans). */
export function parts<K extends Key>(key: K): Array<string | { name: string }> {
  const entry = catalogues[locale()][key];
  const text = typeof entry === 'string' ? entry : entry.other;
  const out: Array<string | { name: string }> = [];
  let last = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ name: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Each language's name in that language, as a language menu lists them. */
export const languageNames: Record<Locale, string> = { en: 'English', nl: 'Nederlands' };

export function catalogue(l: Locale): Catalogue {
  return catalogues[l];
}
